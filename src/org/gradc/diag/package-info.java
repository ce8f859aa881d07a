/**
 * Source files, spans and diagnostics, shared by every phase. In: text and positions. Out:
 * {@code FILE:LINE:COL: error: MESSAGE} reports with the source line and a caret. Nothing here
 * knows about the language itself.
 */
package org.gradc.diag;
