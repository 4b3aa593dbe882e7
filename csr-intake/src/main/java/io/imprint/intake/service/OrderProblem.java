package io.imprint.intake.service;

/** Why an operator's order call is refused: a stable code, a sentence, and what kind of refusal it is. */
public final class OrderProblem extends RuntimeException {
    public enum Kind {
        INVALID,
        CONFLICT,
        NOT_FOUND
    }

    private final String code;
    private final Kind kind;

    OrderProblem(Kind kind, String code, String message) {
        super(message, null, false, false); // an expected answer: no stack trace to fill
        this.kind = kind;
        this.code = code;
    }

    static OrderProblem notFound(String orderId) {
        return new OrderProblem(Kind.NOT_FOUND, "ORDER_NOT_FOUND", "no production order " + orderId);
    }

    public String code() {
        return code;
    }

    public Kind kind() {
        return kind;
    }
}
