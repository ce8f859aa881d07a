/** A runnable example: the Iris network trained on Spark with each method. */
package org.gradc.spark.example;
