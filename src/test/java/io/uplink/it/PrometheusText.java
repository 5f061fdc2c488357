package io.uplink.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The samples of a Prometheus text page, as Payara serves it at {@code /metrics}, so that tests ask
 * for a series by name and labels whatever their order. Immutable.
 */
record PrometheusText(String page, List<Sample> samples) {

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$", Pattern.MULTILINE);
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** One line: a series and its value. */
  record Sample(String name, Map<String, String> labels, double value) {}

  static PrometheusText parse(String page) {
    List<Sample> samples = new ArrayList<>();
    Matcher line = SAMPLE.matcher(page);
    while (line.find()) {
      Map<String, String> labels = new LinkedHashMap<>();
      if (line.group(2) != null) {
        Matcher label = LABEL.matcher(line.group(2));
        while (label.find()) {
          labels.put(label.group(1), label.group(2));
        }
      }
      samples.add(new Sample(line.group(1), labels, Double.parseDouble(line.group(3))));
    }
    return new PrometheusText(page, samples);
  }

  /** The sum of the series of that name whose labels include the given ones. */
  double sum(String name, Map<String, String> labels) {
    List<Sample> matching = matching(name, labels);
    if (matching.isEmpty()) {
      throw new AssertionError("no " + name + " with " + labels + " in:\n" + page);
    }
    return matching.stream().mapToDouble(Sample::value).sum();
  }

  /** The series of that name whose labels include the given ones. */
  List<Sample> matching(String name, Map<String, String> labels) {
    return samples.stream()
        .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
        .toList();
  }

  /** The type a {@code # TYPE} line declares for the name, or null. */
  String type(String name) {
    Matcher type = Pattern.compile("^# TYPE " + name + " (\\w+)$", Pattern.MULTILINE).matcher(page);
    return type.find() ? type.group(1) : null;
  }
}
