package io.imprint.service;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an operator endpoint (or a whole resource): {@link OperatorTokenFilter} answers 401 to a request
 * without the operator token before its body is read, so nobody unauthenticated learns how a body is parsed.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface OperatorApi {
}
