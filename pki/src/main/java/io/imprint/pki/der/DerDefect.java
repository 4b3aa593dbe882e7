package io.imprint.pki.der;

/** Bytes that are not canonical DER; the message names the defect and where it is. */
public final class DerDefect extends Exception {
    private final int offset;

    /** @param offset where the defect is, or -1 when only the schema locates it */
    public DerDefect(String defect, int offset) {
        super(offset < 0 ? defect : defect + " at byte " + offset);
        this.offset = offset;
    }

    public int offset() {
        return offset;
    }
}
