package org.gradc.runtime;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A second core for large products: one daemon thread that computes the lower rows of C while
 * the caller computes the upper ones. Rows of C are independent sums, so the split changes no
 * bit of the result. Hand-off through fields (no tasks, futures or queues), so a product
 * allocates nothing; when another caller holds the worker, the product runs on the caller alone,
 * and when the worker has not started its rows by the time the caller is done with its own (the
 * other core is busy), the caller takes them back and computes them too.
 */
final class GemmWorker implements Runnable {
  /** Spins this many times for the next task (or for the worker to finish) before parking. */
  private static final int SPINS = 20_000;

  private final Gemm.Impl impl;
  private final AtomicBoolean busy = new AtomicBoolean();
  private final Thread thread;
  private volatile Thread caller;
  private static final int IDLE = 0;
  private static final int POSTED = 1;
  private static final int DONE = 2;
  private static final int CLAIMED = 3;
  private final AtomicInteger state = new AtomicInteger(IDLE);
  private volatile Throwable failure;
  private int m;
  private int n;
  private int k;
  private double[] a;
  private int aOff;
  private int ars;
  private int acs;
  private double[] b;
  private int bOff;
  private int ldb;
  private double[] c;
  private int cOff;
  private int ldc;
  private double div;

  GemmWorker(Gemm.Impl impl) {
    this.impl = impl;
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
      int top = (m / 2 + 7) & ~7; // the caller's rows: a multiple of the 8-row block
      if (top >= m) {
        top = m / 2;
      }
      this.m = m - top;
      this.n = n;
      this.k = k;
      this.a = a;
      this.aOff = aOff + top * ars;
      this.ars = ars;
      this.acs = acs;
      this.b = b;
      this.bOff = bOff;
      this.ldb = ldb;
      this.c = c;
      this.cOff = cOff + top * ldc;
      this.ldc = ldc;
      this.div = div;
      failure = null;
      caller = Thread.currentThread();
      state.set(POSTED);
      LockSupport.unpark(thread);
      impl.mul(top, n, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, div);
      if (state.compareAndSet(POSTED, IDLE)) {
        // the worker never started: the other core is busy, so do its rows here
        impl.mul(m - top, n, k, a, this.aOff, ars, acs, b, bOff, ldb, c, this.cOff, ldc, div);
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
      this.a = null;
      this.b = null;
      this.c = null;
      Throwable f = failure;
      if (f != null) {
        throw new IllegalStateException("matrix product failed on the worker thread", f);
      }
      return true;
    } finally {
      busy.set(false);
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
        impl.mul(m, n, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, div);
      } catch (Throwable t) {
        failure = t;
      }
      Thread waiting = caller;
      state.set(DONE);
      LockSupport.unpark(waiting);
    }
  }
}
