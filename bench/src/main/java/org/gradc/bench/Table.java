package org.gradc.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the benchmarks and prints one table: each figure the median, with min–max, over the
 * measured iterations; each gradc figure next to the hand-written ceiling measured in the same
 * run, and each product of {@link GemmKernel} in GFLOP/s. Extra arguments are passed to JMH (e.g.
 * {@code -f 2} or a benchmark filter).
 */
public final class Table {
  private Table() {}

  public static void main(String[] args) throws RunnerException, org.openjdk.jmh.runner.options.CommandLineOptionException {
    Options options = new OptionsBuilder().parent(new CommandLineOptions(args)).build();
    Collection<RunResult> results = new Runner(options).run();
    Map<String, double[]> stats = new LinkedHashMap<>();
    Map<String, String> units = new LinkedHashMap<>();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark().replaceFirst(".*\\.bench\\.", "");
      for (String key : r.getParams().getParamsKeys()) {
        name += " " + r.getParams().getParam(key);
      }
      List<Double> scores = new ArrayList<>();
      for (var br : r.getBenchmarkResults()) {
        for (IterationResult it : br.getIterationResults()) {
          scores.add(it.getPrimaryResult().getScore());
        }
      }
      scores.sort(Double::compare);
      int n = scores.size();
      double median = n % 2 == 1 ? scores.get(n / 2) : (scores.get(n / 2 - 1) + scores.get(n / 2)) / 2;
      stats.put(name, new double[] {median, scores.get(0), scores.get(n - 1)});
      units.put(name, r.getPrimaryResult().getScoreUnit());
    }
    System.out.printf("%n%-48s %14s %24s %14s%n", "benchmark", "median", "min – max", "vs hand");
    for (var e : stats.entrySet()) {
      double[] s = e.getValue();
      String hand = e.getKey().replace(".gradc", ".hand");
      long flop = GemmKernel.flop(e.getKey());
      String ratio = !hand.equals(e.getKey()) && stats.containsKey(hand)
          ? String.format("%.2f×", s[0] / stats.get(hand)[0])
          : flop > 0 && units.get(e.getKey()).equals("us/op")
          ? String.format("%.1f GFLOP/s", flop / (s[0] * 1e3)) : "";
      System.out.printf("%-48s %10.3f %-4s %11.3f – %-10.3f %14s%n", e.getKey(), s[0],
          units.get(e.getKey()).replace("/op", ""), s[1], s[2], ratio);
    }
  }
}
