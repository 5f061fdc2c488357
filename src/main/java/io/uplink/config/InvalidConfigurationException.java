package io.uplink.config;

import java.util.List;

/**
 * Thrown at deployment when settings are missing or invalid. Its message lists every problem, each
 * naming its key, so one failed start shows all of them. Never carries a secret value.
 */
public final class InvalidConfigurationException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public InvalidConfigurationException(List<String> problems) {
    super("Uplink is not configured correctly:\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
