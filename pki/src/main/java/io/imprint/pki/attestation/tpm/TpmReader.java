package io.imprint.pki.attestation.tpm;

import java.util.Arrays;

/** Big-endian reading of TPM 2.0 marshalled structures, refusing anything that runs past its end. */
final class TpmReader {
    private final byte[] bytes;
    private int position;

    TpmReader(byte[] bytes) {
        this.bytes = bytes;
    }

    int u8() {
        return (int) read(1);
    }

    int u16() {
        return (int) read(2);
    }

    long u32() {
        return read(4);
    }

    long u64() {
        return read(8);
    }

    /** A TPM2B: a 16-bit size, then that many octets. */
    byte[] sized() {
        int size = u16();
        need(size);
        byte[] value = Arrays.copyOfRange(bytes, position, position + size);
        position += size;
        return value;
    }

    int position() {
        return position;
    }

    byte[] slice(int from, int to) {
        return Arrays.copyOfRange(bytes, from, to);
    }

    void requireEnd(String what) {
        if (position != bytes.length) {
            throw new IllegalArgumentException((bytes.length - position) + " octets follow the " + what);
        }
    }

    private long read(int octets) {
        need(octets);
        long value = 0;
        for (int i = 0; i < octets; i++) {
            value = (value << 8) | (bytes[position++] & 0xFF);
        }
        return value;
    }

    private void need(int octets) {
        if (octets < 0 || position + octets > bytes.length) {
            throw new IllegalArgumentException("TPM structure runs past its end");
        }
    }
}
