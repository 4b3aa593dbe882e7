package io.imprint.system;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A trace collector for system tests: receives OTLP over HTTP ({@code http/protobuf}, {@code POST /v1/traces}) as the
 * services' exporters send it, and keeps, for every span, the service that sent it (its resource's
 * {@code service.name}), its trace id and its name. The protobuf is read field by field (ExportTraceServiceRequest:
 * resource_spans 1 {resource 1 {attributes 1 {key 1, value 2 {string_value 1}}}, scope_spans 2 {spans 2 {trace_id 1,
 * name 5}}}), everything else skipped.
 */
final class OtlpReceiver implements AutoCloseable {
    /** One span as received. */
    record ReceivedSpan(String service, String traceId, String name) {}

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new ArrayList<>();

    OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/traces", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                synchronized (spans) {
                    new Reader(body).fields(0, body.length, (field, reader, start, end) -> {
                        if (field == 1) {
                            resourceSpans(reader, start, end);
                        }
                    });
                }
            } catch (RuntimeException e) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    /** Environment that makes a service export its traces here. */
    Map<String, String> environment() {
        return Map.of(
                "QUARKUS_OTEL_SDK_DISABLED", "false",
                "QUARKUS_OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                "QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT",
                        "http://127.0.0.1:" + server.getAddress().getPort(),
                "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "PT0.5S");
    }

    List<ReceivedSpan> spans() {
        synchronized (spans) {
            return List.copyOf(spans);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void resourceSpans(Reader reader, int start, int end) {
        String[] service = {"?"};
        List<int[]> scopeSpans = new ArrayList<>();
        reader.fields(start, end, (field, r, s, e) -> {
            if (field == 1) { // resource
                r.fields(s, e, (f, r2, s2, e2) -> {
                    if (f == 1) { // attribute
                        String[] keyValue = new String[2];
                        r2.fields(s2, e2, (f3, r3, s3, e3) -> {
                            if (f3 == 1) {
                                keyValue[0] = r3.text(s3, e3);
                            } else if (f3 == 2) {
                                r3.fields(s3, e3, (f4, r4, s4, e4) -> {
                                    if (f4 == 1) {
                                        keyValue[1] = r4.text(s4, e4);
                                    }
                                });
                            }
                        });
                        if ("service.name".equals(keyValue[0]) && keyValue[1] != null) {
                            service[0] = keyValue[1];
                        }
                    }
                });
            } else if (field == 2) {
                scopeSpans.add(new int[] {s, e});
            }
        });
        for (int[] scope : scopeSpans) {
            reader.fields(scope[0], scope[1], (field, r, s, e) -> {
                if (field == 2) { // span
                    String[] traceAndName = new String[2];
                    r.fields(s, e, (f, r2, s2, e2) -> {
                        if (f == 1) {
                            traceAndName[0] = r2.hex(s2, e2);
                        } else if (f == 5) {
                            traceAndName[1] = r2.text(s2, e2);
                        }
                    });
                    spans.add(new ReceivedSpan(service[0], traceAndName[0], traceAndName[1]));
                }
            });
        }
    }

    /** What to do with one length-delimited field: its number and where its bytes are. */
    private interface Field {
        void accept(int number, Reader reader, int start, int end);
    }

    /** Protobuf wire format: varints, 64- and 32-bit values skipped, length-delimited fields handed on. */
    private static final class Reader {
        private final byte[] bytes;
        private int position;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        void fields(int start, int end, Field field) {
            int saved = position;
            position = start;
            while (position < end) {
                long key = varint();
                int number = (int) (key >>> 3);
                switch ((int) (key & 7)) {
                    case 0 -> varint();
                    case 1 -> position += 8;
                    case 5 -> position += 4;
                    case 2 -> {
                        int length = (int) varint();
                        int from = position;
                        position += length;
                        int after = position;
                        field.accept(number, this, from, from + length);
                        position = after;
                    }
                    default -> throw new IllegalArgumentException("wire type " + (key & 7));
                }
            }
            position = saved;
        }

        String text(int start, int end) {
            return new String(bytes, start, end - start, StandardCharsets.UTF_8);
        }

        String hex(int start, int end) {
            return HexFormat.of().formatHex(bytes, start, end);
        }

        private long varint() {
            long value = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = bytes[position++];
                value |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
        }
    }
}
