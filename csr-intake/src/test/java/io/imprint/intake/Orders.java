package io.imprint.intake;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Production orders made through the operator API, as an operator would. */
final class Orders {
    static final String TOKEN = "Bearer test-intake-operator-token-0123456789";

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
        return given().header("Authorization", TOKEN)
                .contentType(ContentType.JSON)
                .body(body)
                .post(path);
    }

    static Response get(String path) {
        return given().header("Authorization", TOKEN).get(path);
    }
}
