package io.imprint.gateway;

/**
 * What happened to one device's request.
 *
 * @param outcome   ISSUED, REJECTED or TIMED_OUT
 * @param detail    the serial number when issued, the reason code and message when rejected
 * @param latencyMs from publish to the answer arriving at the station
 */
public record DeviceResult(
        String deviceId, String requestId, String outcome, String detail, long latencyMs, String certificate) {
    public static final String ISSUED = "ISSUED";
    public static final String REJECTED = "REJECTED";
    public static final String TIMED_OUT = "TIMED_OUT";
}
