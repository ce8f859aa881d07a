/**
 * Training a {@link org.gradc.runtime.CompiledModel}: optimizers, the mini-batch training loop,
 * data and parameter files.
 *
 * <p>In: a compiled model (used only through its interface: flat row-major {@code double[]}
 * parameters, inputs and targets), training data ({@link org.gradc.train.DataSet}, read from CSV
 * with one column per scalar, {@code x[0]}, {@code x[1]}, …) and a configuration ({@link org.gradc.train.Trainer}: an
 * {@link org.gradc.train.Optimizer}, batch size, epochs, shuffle seed, clipping, weight decay —
 * by default taken from the model's {@code train} block). Out: the trained parameter vector
 * (updated in place), a {@link org.gradc.train.TrainResult} with the loss curve, and on request a
 * parameter file ({@link org.gradc.train.ParamsFile}: a JSON object from parameter names to
 * nested arrays, written atomically). This package depends on {@code runtime} and
 * {@code runtime.TrainSpec}, never the reverse.
 */
package org.gradc.train;
