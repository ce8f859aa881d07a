package org.gradc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import javax.lang.model.SourceVersion;
import org.gradc.Model;
import org.gradc.diag.UserText;
import org.gradc.train.AtomicFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gradc emit FILE [--model M] [-o DIR] [--package P]}: the generated Java source, on
 * stdout or as {@code DIR/P/Name.java} (package directories created).
 */
@Command(name = "emit", description = "Write the generated Java source (stdout without -o).")
final class EmitCommand implements Callable<Integer> {
  @Mixin
  ModelArgs args;

  @Mixin
  PrecisionArg precision;

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = {"-o", "--output"}, paramLabel = "DIR",
      description = "write DIR/<package path>/<Class>.java instead of printing")
  Path outputDir;

  @Option(names = "--package", paramLabel = "P", description = "Java package (default: none)")
  String packageName = "";

  @Override
  public Integer call() {
    if (!packageName.isEmpty() && !SourceVersion.isName(packageName)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--package: '" + UserText.quote(packageName) + "' is not a Java package name");
    }
    return args.run((model, out) -> {
      Model.JavaSource code = model.java(packageName, precision.orF64());
      if (outputDir == null) {
        out.print(code.source());
        return;
      }
      Path dir = outputDir;
      if (!packageName.isEmpty()) {
        dir = dir.resolve(packageName.replace('.', '/'));
      }
      Path file = dir.resolve(code.className() + ".java");
      try {
        Files.createDirectories(dir);
        AtomicFile.write(file, code.source().getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new SourceLoader.UserError("cannot write '" + file + "': " + AtomicFile.reason(e));
      }
      PrintWriter err = spec.commandLine().getErr();
      err.println("wrote " + file);
    });
  }
}
