package org.gradc.runtime;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A second core for large products: one daemon thread that computes the lower rows of C while
 * the caller computes the upper ones, for {@code double} and {@code float} products alike. Rows
 * of C are independent sums, so the split changes no bit of the result. Hand-off through fields
 * (no tasks, futures or queues), so a product allocates nothing; when another caller holds the
 * worker, the product runs on the caller alone, and when the worker has not started its rows by
 * the time the caller is done with its own (the other core is busy), the caller takes them back
 * and computes them too.
 */
final class GemmWorker implements Runnable {
  /** Spins this many times for the next task (or for the worker to finish) before parking. */
  private static final int SPINS = 20_000;

  private final Gemm.Impl impl;
  private final Gemm.FloatImpl floatImpl;
  private final AtomicBoolean busy = new AtomicBoolean();
  private final Thread thread;
  private volatile Thread caller;
  private static final int IDLE = 0;
  private static final int POSTED = 1;
  private static final int DONE = 2;
  private static final int CLAIMED = 3;
  private final AtomicInteger state = new AtomicInteger(IDLE);
  private volatile Throwable failure;
  // the posted product: the worker's rows of C, the operands of one precision (the other null)
  private int m;
  private int n;
  private int k;
  private int aOff;
  private int ars;
  private int acs;
  private int bOff;
  private int ldb;
  private int cOff;
  private int ldc;
  private double[] a;
  private double[] b;
  private double[] c;
  private double div;
  private float[] fa;
  private float[] fb;
  private float[] fc;
  private float fdiv;

  GemmWorker(Gemm.Impl impl, Gemm.FloatImpl floatImpl) {
    this.impl = impl;
    this.floatImpl = floatImpl;
    this.thread = new Thread(this, "gradc-gemm");
    thread.setDaemon(true);
    thread.start();
  }

  /** Runs the product on two threads; false (nothing done) when the worker is taken. */
  boolean mul(int m, int n, int k, double[] a, int aOff, int ars, int acs, double[] b, int bOff,
      int ldb, double[] c, int cOff, int ldc, double div) {
    if (!busy.compareAndSet(false, true)) {
      return false;
    }
    try {
      this.a = a;
      this.b = b;
      this.c = c;
      this.div = div;
      split(m, n, k, aOff, ars, acs, bOff, ldb, cOff, ldc);
      return true;
    } finally {
      busy.set(false);
    }
  }

  /** The {@code float} product on two threads; false (nothing done) when the worker is taken. */
  boolean mul(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff,
      int ldb, float[] c, int cOff, int ldc, float div) {
    if (!busy.compareAndSet(false, true)) {
      return false;
    }
    try {
      this.fa = a;
      this.fb = b;
      this.fc = c;
      this.fdiv = div;
      split(m, n, k, aOff, ars, acs, bOff, ldb, cOff, ldc);
      return true;
    } finally {
      busy.set(false);
    }
  }

  /**
   * Posts the lower rows of the product whose operands are set, computes the upper ones, then
   * waits for the worker's (or computes them too when it never started).
   */
  private void split(int m, int n, int k, int aOff, int ars, int acs, int bOff, int ldb,
      int cOff, int ldc) {
    int top = (m / 2 + 7) & ~7; // the caller's rows: a multiple of the 8-row block
    if (top >= m) {
      top = m / 2;
    }
    this.m = m - top;
    this.n = n;
    this.k = k;
    this.aOff = aOff + top * ars;
    this.ars = ars;
    this.acs = acs;
    this.bOff = bOff;
    this.ldb = ldb;
    this.cOff = cOff + top * ldc;
    this.ldc = ldc;
    failure = null;
    caller = Thread.currentThread();
    state.set(POSTED);
    LockSupport.unpark(thread);
    rows(top, aOff, cOff);
    if (state.compareAndSet(POSTED, IDLE)) {
      // the worker never started: the other core is busy, so do its rows here
      rows(this.m, this.aOff, this.cOff);
    } else {
      int spins = 0;
      while (state.get() != DONE) {
        if (++spins < SPINS) {
          Thread.onSpinWait();
        } else {
          LockSupport.park(this);
        }
      }
      state.set(IDLE);
    }
    a = null;
    b = null;
    c = null;
    fa = null;
    fb = null;
    fc = null;
    Throwable f = failure;
    if (f != null) {
      throw new IllegalStateException("matrix product failed on the worker thread", f);
    }
  }

  /** {@code rows} rows of the posted product, from A's {@code aOff} and C's {@code cOff}. */
  private void rows(int rows, int aOff, int cOff) {
    if (a != null) {
      impl.mul(rows, n, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, div);
    } else {
      floatImpl.mul(rows, n, k, fa, aOff, ars, acs, fb, bOff, ldb, fc, cOff, ldc, fdiv);
    }
  }

  @Override
  public void run() {
    while (true) {
      int spins = 0;
      while (state.get() != POSTED || !state.compareAndSet(POSTED, CLAIMED)) {
        if (++spins < SPINS) {
          Thread.onSpinWait();
        } else {
          LockSupport.park(this);
        }
      }
      try {
        rows(m, aOff, cOff);
      } catch (Throwable t) {
        failure = t;
      }
      Thread waiting = caller;
      state.set(DONE);
      LockSupport.unpark(waiting);
    }
  }
}
