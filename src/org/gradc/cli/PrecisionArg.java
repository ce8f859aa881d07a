package org.gradc.cli;

import org.gradc.Model;
import org.gradc.runtime.CompiledModel;
import org.gradc.runtime.Precision;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --precision f32|f64}: the element type a command compiles the model to. The flag wins;
 * without it, {@code train} and {@code predict} take the train block's {@code precision} and
 * the other commands f64.
 */
final class PrecisionArg {
  @Option(names = "--precision", paramLabel = "P", converter = Parse.class,
      description = "f32 or f64: the element type of the compiled model (default: f64; train and"
          + " predict: the train block's precision, else f64)")
  Precision precision;

  /** A value other than f32 or f64 is a usage error. */
  static final class Parse implements CommandLine.ITypeConverter<Precision> {
    @Override
    public Precision convert(String value) {
      return Precision.parse(value).orElseThrow(() -> new CommandLine.TypeConversionException(
          "expected f32 or f64, not '" + value + "'"));
    }
  }

  /** The flag's precision, else f64. */
  Precision orF64() {
    return precision == null ? Precision.F64 : precision;
  }

  /** The model compiled in the flag's precision, else f64. */
  CompiledModel compile(Model model) {
    return model.compile(orF64());
  }

  /** The model compiled in the flag's precision, else the train block's, else f64. */
  CompiledModel compileForTraining(Model model) {
    Precision declared = precision != null ? precision
        : model.trainDefaults().precision().orElse(Precision.F64);
    return model.compile(declared);
  }
}
