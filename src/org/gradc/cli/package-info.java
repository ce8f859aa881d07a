/**
 * The {@code gradc} command line (picocli). Turns arguments into calls of the façade and results
 * into text, JSON or exit statuses: 0 ok, 1 user error, 2 usage error.
 */
package org.gradc.cli;
