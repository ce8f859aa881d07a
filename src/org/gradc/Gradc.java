package org.gradc;
public final class Gradc { private Gradc() {} }
