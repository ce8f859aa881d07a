// Compile time from .grad text to a loaded class, in a warm JVM: median of 30 runs after 60
// warm-up runs, with the time of each phase. Each run renames the model, so the class cache
// never hits and the whole pipeline (parse, check, differentiate, simplify, plan, emit, Janino)
// runs every time. From the repository root, after `mvn -q -B -DskipTests package`:
//
//   java -cp "target/classes:target/lib/*" bench/CompileTime.java examples/xor.grad examples/mlp.grad

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.gradc.Gradc;
import org.gradc.codegen.JavaEmitter;
import org.gradc.codegen.ModelCompiler;
import org.gradc.diag.SourceFile;
import org.gradc.lower.Plan;
import org.gradc.lower.Planner;
import org.gradc.runtime.LoadedModel;
import org.gradc.sema.CheckedModel;

public class CompileTime {
  static final int WARMUP = 60;
  static final int RUNS = 30;

  static int counter;

  public static void main(String[] args) throws Exception {
    for (String file : args) {
      String text = Files.readString(Path.of(file));
      long[][] t = new long[5][RUNS];
      for (int run = -WARMUP; run < RUNS; run++) {
        String renamed = text.replaceFirst("model (\\w+)", "model $1_" + counter++);
        long t0 = System.nanoTime();
        CheckedModel model = Gradc.check(new SourceFile(file, renamed)).models().get(0);
        long t1 = System.nanoTime();
        Plan plan = Planner.plan(model);
        long t2 = System.nanoTime();
        JavaEmitter.Emitted code = JavaEmitter.emit(plan, ModelCompiler.RUNTIME_PACKAGE);
        long t3 = System.nanoTime();
        LoadedModel m = LoadedModel.load(ModelCompiler.layout(plan), code.qualifiedName(),
            code.source());
        long t4 = System.nanoTime();
        if (m.parameterCount() == 0) {
          throw new AssertionError();
        }
        if (run >= 0) {
          t[0][run] = t1 - t0;
          t[1][run] = t2 - t1;
          t[2][run] = t3 - t2;
          t[3][run] = t4 - t3;
          t[4][run] = t4 - t0;
        }
      }
      System.out.printf(Locale.ROOT,
          "%-22s total %7.2f ms  (check %.2f, differentiate+simplify+plan %.2f, emit %.2f,"
              + " janino+load %.2f; medians of %d)%n",
          file, median(t[4]), median(t[0]), median(t[1]), median(t[2]), median(t[3]), RUNS);
    }
  }

  static double median(long[] v) {
    long[] s = v.clone();
    Arrays.sort(s);
    return (s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0)
        / 1e6;
  }
}
