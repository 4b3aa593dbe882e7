package io.imprint.pki.attestation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reader for Matter TLV (Matter Core Specification, appendix A), enough for a certification declaration: an
 * anonymous structure whose members carry context tags and hold unsigned integers, strings, octet strings and
 * arrays of those. Anything else (another tag form, a float, a nested structure) is refused, as is a length
 * that runs past the input or a container left open.
 */
final class MatterTlv {
    private static final int MAX_DEPTH = 4;
    private final byte[] tlv;
    private int position;

    private MatterTlv(byte[] tlv) {
        this.tlv = tlv;
    }

    /** The top-level anonymous structure: context tag to value (Long, String, byte[] or List of those). */
    static Map<Integer, Object> structure(byte[] tlv) {
        MatterTlv reader = new MatterTlv(tlv);
        int control = reader.unsigned(1);
        if (control != 0x15) {
            throw new IllegalArgumentException("a certification declaration is an anonymous TLV structure");
        }
        Map<Integer, Object> members = reader.members(1);
        if (reader.position != tlv.length) {
            throw new IllegalArgumentException("bytes follow the TLV structure");
        }
        return members;
    }

    private Map<Integer, Object> members(int depth) {
        Map<Integer, Object> members = new LinkedHashMap<>();
        while (true) {
            int control = unsigned(1);
            if (control == 0x18) {
                return members;
            }
            if ((control & 0xE0) != 0x20) {
                throw new IllegalArgumentException("structure members must carry a one-octet context tag");
            }
            int tag = unsigned(1);
            if (members.put(tag, value(control & 0x1F, depth)) != null) {
                throw new IllegalArgumentException("TLV tag " + tag + " appears twice");
            }
        }
    }

    private List<Object> array(int depth) {
        List<Object> elements = new ArrayList<>();
        while (true) {
            int control = unsigned(1);
            if (control == 0x18) {
                return elements;
            }
            if ((control & 0xE0) != 0) {
                throw new IllegalArgumentException("array elements must be anonymous");
            }
            elements.add(value(control & 0x1F, depth));
        }
    }

    private Object value(int type, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("TLV nested too deep");
        }
        return switch (type) {
            case 0x04 -> (long) unsigned(1);
            case 0x05 -> (long) unsigned(2);
            case 0x06 -> unsignedLong(4);
            case 0x0C -> new String(bytes(unsigned(1)), StandardCharsets.UTF_8);
            case 0x0D -> new String(bytes(unsigned(2)), StandardCharsets.UTF_8);
            case 0x10 -> bytes(unsigned(1));
            case 0x11 -> bytes(unsigned(2));
            case 0x16 -> array(depth + 1);
            default ->
                throw new IllegalArgumentException("TLV element type 0x" + Integer.toHexString(type)
                        + " is not used in a certification declaration");
        };
    }

    private byte[] bytes(int length) {
        need(length);
        byte[] value = java.util.Arrays.copyOfRange(tlv, position, position + length);
        position += length;
        return value;
    }

    /** Little-endian, as Matter TLV is. */
    private int unsigned(int octets) {
        return (int) unsignedLong(octets);
    }

    private long unsignedLong(int octets) {
        need(octets);
        long value = 0;
        for (int i = octets - 1; i >= 0; i--) {
            value = (value << 8) | (tlv[position + i] & 0xFF);
        }
        position += octets;
        return value;
    }

    private void need(int octets) {
        if (octets < 0 || position + octets > tlv.length) {
            throw new IllegalArgumentException("TLV runs past its end");
        }
    }
}
