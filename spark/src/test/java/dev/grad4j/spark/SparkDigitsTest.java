package dev.grad4j.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Spark digits sample on local[2] reaches the accuracy of the same run on one machine. */
class SparkDigitsTest {

    @Test
    @Tag("slow")
    void sparkAndOneMachineReachTheSameAccuracy() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        SparkDigits.Result r;
        try (JavaSparkContext sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("digits-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"))) {
            sc.setLogLevel("ERROR");
            r = SparkDigits.run(sc, Path.of("../samples/src/main/resources/data/digits.csv.gz"), 5, 0,
                    new PrintStream(buf, true, StandardCharsets.UTF_8));
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("with Spark (5 epochs, local[2])"), out);
        assertTrue(r.spark() > 0.9, out);
        assertEquals(r.local(), r.spark(), 1.0 / 360 + 1e-9, "the same accuracy within one test row:\n" + out);
    }
}
