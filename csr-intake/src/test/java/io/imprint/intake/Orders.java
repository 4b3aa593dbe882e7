package io.imprint.intake;

import static io.imprint.testing.TestOperators.ORDER_ADMIN;
import static io.imprint.testing.TestOperators.as;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Production orders made through the operator API, as an order administrator would. */
final class Orders {
    private Orders() {}

    /** An open order of {@code quantity} for {@code factoryId}, valid for a day, with {@code extra} fields. */
    static String create(String factoryId, int quantity, Map<String, Object> extra) {
        String orderId = "po-" + UUID.randomUUID();
        Map<String, Object> body = new HashMap<>(Map.of(
                "orderId",
                orderId,
                "factoryId",
                factoryId,
                "productModel",
                "sensor-x",
                "quantity",
                quantity,
                "notAfter",
                Instant.now().plus(Duration.ofDays(1)).toString()));
        body.putAll(extra);
        post("/orders", body).then().statusCode(201);
        return orderId;
    }

    static String create(String factoryId, int quantity) {
        return create(factoryId, quantity, Map.of());
    }

    static Response post(String path, Object body) {
        return as(ORDER_ADMIN).contentType(ContentType.JSON).body(body).post(path);
    }

    static Response get(String path) {
        return as(ORDER_ADMIN).get(path);
    }
}
