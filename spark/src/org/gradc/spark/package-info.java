/**
 * Data-parallel training of gradc models on Apache Spark: {@link org.gradc.spark.ModelBundle}
 * ships a compiled model to the executors as its generated source, {@link
 * org.gradc.spark.SparkData} packs the examples into blocks per partition, and {@link
 * org.gradc.spark.SparkTrainer} trains with the driver holding the parameters.
 */
package org.gradc.spark;
