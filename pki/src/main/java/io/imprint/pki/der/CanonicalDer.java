package io.imprint.pki.der;

import java.util.List;

/**
 * Checks that bytes are one value in canonical DER (X.690 §10, §11) before any parser sees them, so two
 * encodings of one request can never both pass and a parser's leniency is never what decides. Generic rules,
 * for any schema: definite, minimal lengths; low tag numbers in one octet; SEQUENCE and SET constructed,
 * string types primitive; BOOLEAN 00 or FF; INTEGER in the fewest octets; BIT STRING with unused bits zero;
 * NULL empty; OBJECT IDENTIFIER arcs minimal; times in UTC ending in Z; SET OF elements in ascending order;
 * nesting at most {@value #MAX_DEPTH} deep; nothing after the value. Rules that need the schema (an explicit
 * DEFAULT, a version number) are the schema's caller's.
 */
public final class CanonicalDer {
    /** Far deeper than any certificate or CSR; bounds recursion on hostile input. */
    public static final int MAX_DEPTH = 24;

    private static final int BOOLEAN = 0x01;
    private static final int INTEGER = 0x02;
    private static final int BIT_STRING = 0x03;
    private static final int OCTET_STRING = 0x04;
    private static final int NULL = 0x05;
    private static final int OID = 0x06;
    private static final int UTC_TIME = 0x17;
    private static final int GENERALIZED_TIME = 0x18;
    private static final int SEQUENCE = 0x10;
    private static final int SET = 0x11;
    private static final int CONSTRUCTED = 0x20;
    private static final int CLASS_MASK = 0xC0;

    private final byte[] der;

    private CanonicalDer(byte[] der) {
        this.der = der;
    }

    /**
     * Refuses anything but canonical DER.
     *
     * @throws DerDefect naming the first defect and the byte offset it is at
     */
    public static void check(byte[] der) throws DerDefect {
        if (der == null || der.length == 0) {
            throw new DerDefect("empty encoding", 0);
        }
        int end = new CanonicalDer(der).value(0, der.length, 0);
        if (end != der.length) {
            throw new DerDefect((der.length - end) + " bytes follow the value", end);
        }
    }

    /** Checks the value starting at {@code offset}, which must end by {@code limit}; returns where it ends. */
    private int value(int offset, int limit, int depth) throws DerDefect {
        if (depth > MAX_DEPTH) {
            throw new DerDefect("nested more than " + MAX_DEPTH + " levels deep", offset);
        }
        Header header = header(offset, limit);
        int contentEnd = header.contentStart + header.length;
        if (header.constructed) {
            if (header.universal() && isPrimitiveOnly(header.tag)) {
                throw new DerDefect(
                        "constructed encoding of a string or primitive type (tag " + header.tag + ")", offset);
            }
            int element = header.contentStart;
            int previousStart = -1;
            while (element < contentEnd) {
                int next = value(element, contentEnd, depth + 1);
                if (header.universal()
                        && header.tag == SET
                        && previousStart >= 0
                        && compare(der, previousStart, element, der, element, next) > 0) {
                    throw new DerDefect("SET OF elements are not in ascending order", element);
                }
                previousStart = element;
                element = next;
            }
            return contentEnd;
        }
        if (header.universal()) {
            primitive(header, offset);
        }
        return contentEnd;
    }

    private Header header(int offset, int limit) throws DerDefect {
        if (offset + 2 > limit) {
            throw new DerDefect("truncated tag or length", offset);
        }
        int first = der[offset] & 0xFF;
        int position = offset + 1;
        int tag = first & 0x1F;
        if (tag == 0x1F) {
            // High tag numbers: base-128, no leading 0x80, and only for numbers that do not fit in 5 bits.
            if ((der[position] & 0xFF) == 0x80) {
                throw new DerDefect("tag number has a leading zero arc", offset);
            }
            tag = 0;
            do {
                if (position >= limit || tag > (1 << 20)) {
                    throw new DerDefect("truncated or oversized tag number", offset);
                }
                tag = (tag << 7) | (der[position] & 0x7F);
            } while ((der[position++] & 0x80) != 0);
            if (tag < 0x1F) {
                throw new DerDefect("tag number " + tag + " in the long form", offset);
            }
        }
        if (position >= limit) {
            throw new DerDefect("truncated length", offset);
        }
        int lengthByte = der[position++] & 0xFF;
        long length;
        if (lengthByte < 0x80) {
            length = lengthByte;
        } else if (lengthByte == 0x80) {
            throw new DerDefect("indefinite length", offset);
        } else {
            int octets = lengthByte & 0x7F;
            if (octets > 4 || position + octets > limit) {
                throw new DerDefect("length of " + octets + " octets", offset);
            }
            if ((der[position] & 0xFF) == 0) {
                throw new DerDefect("length with a leading zero octet (not minimal)", offset);
            }
            length = 0;
            for (int i = 0; i < octets; i++) {
                length = (length << 8) | (der[position++] & 0xFF);
            }
            if (length < 0x80) {
                throw new DerDefect("length " + length + " in the long form (not minimal)", offset);
            }
        }
        if (length > limit - position) {
            throw new DerDefect("length " + length + " runs past the enclosing value", offset);
        }
        return new Header(first & CLASS_MASK, (first & CONSTRUCTED) != 0, tag, position, (int) length);
    }

    private static boolean isPrimitiveOnly(int tag) {
        return tag != SEQUENCE && tag != SET;
    }

    private void primitive(Header header, int offset) throws DerDefect {
        int start = header.contentStart;
        int length = header.length;
        switch (header.tag) {
            case SEQUENCE, SET -> throw new DerDefect("primitive encoding of a SEQUENCE or SET", offset);
            case BOOLEAN -> {
                if (length != 1 || (der[start] != 0 && der[start] != (byte) 0xFF)) {
                    throw new DerDefect("BOOLEAN that is not one octet 00 or FF", offset);
                }
            }
            case INTEGER -> {
                if (length == 0) {
                    throw new DerDefect("empty INTEGER", offset);
                }
                if (length > 1
                        && ((der[start] == 0 && der[start + 1] >= 0)
                                || (der[start] == (byte) 0xFF && der[start + 1] < 0))) {
                    throw new DerDefect("INTEGER not in the fewest octets", offset);
                }
            }
            case BIT_STRING -> bitString(start, length, offset);
            case NULL -> {
                if (length != 0) {
                    throw new DerDefect("NULL with content", offset);
                }
            }
            case OID -> objectIdentifier(start, length, offset);
            case UTC_TIME, GENERALIZED_TIME -> {
                if (length == 0 || der[start + length - 1] != 'Z') {
                    throw new DerDefect("time not in UTC ending in Z", offset);
                }
            }
            case OCTET_STRING -> {
                // Any content: the schema decides whether it holds DER to check in turn.
            }
            default -> {
                // Strings and other primitives: their content is the schema's to judge.
            }
        }
    }

    private void bitString(int start, int length, int offset) throws DerDefect {
        if (length == 0) {
            throw new DerDefect("BIT STRING without its unused-bits octet", offset);
        }
        int unused = der[start] & 0xFF;
        if (unused > 7 || (length == 1 && unused != 0)) {
            throw new DerDefect("BIT STRING with " + unused + " unused bits", offset);
        }
        if (unused > 0 && (der[start + length - 1] & ((1 << unused) - 1)) != 0) {
            throw new DerDefect("BIT STRING whose unused bits are not zero", offset);
        }
    }

    private void objectIdentifier(int start, int length, int offset) throws DerDefect {
        if (length == 0 || (der[start + length - 1] & 0x80) != 0) {
            throw new DerDefect("empty or truncated OBJECT IDENTIFIER", offset);
        }
        boolean arcStart = true;
        for (int i = start; i < start + length; i++) {
            if (arcStart && (der[i] & 0xFF) == 0x80) {
                throw new DerDefect("OBJECT IDENTIFIER arc with a leading zero", offset);
            }
            arcStart = (der[i] & 0x80) == 0;
        }
    }

    /**
     * For a SET OF under an implicit tag, which only the schema knows to be one: its elements' encodings, in
     * the order they appear, must ascend.
     */
    public static void checkSetOfOrder(List<byte[]> encodings, String what) throws DerDefect {
        for (int i = 1; i < encodings.size(); i++) {
            byte[] previous = encodings.get(i - 1);
            byte[] current = encodings.get(i);
            if (compare(previous, 0, previous.length, current, 0, current.length) > 0) {
                throw new DerDefect(what + " are not in ascending order (element " + i + ")", -1);
            }
        }
    }

    /** X.690 §11.6: compared as octet strings, the shorter padded with zero octets at its end. */
    private static int compare(byte[] x, int aStart, int aEnd, byte[] y, int bStart, int bEnd) {
        int length = Math.max(aEnd - aStart, bEnd - bStart);
        for (int i = 0; i < length; i++) {
            int a = aStart + i < aEnd ? x[aStart + i] & 0xFF : 0;
            int b = bStart + i < bEnd ? y[bStart + i] & 0xFF : 0;
            if (a != b) {
                return Integer.compare(a, b);
            }
        }
        return 0;
    }

    private record Header(int tagClass, boolean constructed, int tag, int contentStart, int length) {
        boolean universal() {
            return tagClass == 0;
        }
    }
}
