package io.uplink.api;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Selects the upstream messages of one application ID, e.g.
 * {@code @Observes @Category("com.example.app") UpstreamMessage m}. Every {@link UpstreamMessage}
 * is fired with this qualifier set to its {@code category}.
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD, ElementType.TYPE})
public @interface Category {

  /** The application ID: Android package name, iOS bundle ID or Chrome extension ID. */
  String value();

  /** The qualifier as a value, for firing and for programmatic lookup. */
  final class Literal extends AnnotationLiteral<Category> implements Category {

    private static final long serialVersionUID = 1L;

    private final String value;

    public Literal(String value) {
      this.value = value;
    }

    @Override
    public String value() {
      return value;
    }
  }
}
