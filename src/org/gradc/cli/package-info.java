/**
 * The {@code gradc} command line (picocli). Turns arguments into calls of the façade
 * ({@link org.gradc.Gradc}, {@link org.gradc.Model}) and of {@code runtime} and {@code train},
 * and results into text, JSON or exit statuses: 0 ok, 1 user error, 2 usage error. It imports no
 * compiler phase: every view of a model comes from the façade.
 */
package org.gradc.cli;
