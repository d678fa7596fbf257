package dev.grad4j.train;

import dev.grad4j.data.Dataset;

import java.util.Random;

import static dev.grad4j.Grad4j.tensor;

/** Small seeded data sets for the training tests, made on the defaults scope's backend. */
final class Problems {

    private Problems() {
    }

    /** {@code n} points in 4 dimensions around {@code classes} well separated centres. */
    static Dataset blobs(int n, int classes, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[n][4];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % classes;
            for (int j = 0; j < 4; j++) {
                double centre = (j == y[i] % 4 ? 3 : 0) + (y[i] >= 4 ? -3 : 0);
                x[i][j] = (float) (centre + 0.7 * r.nextGaussian());
            }
        }
        return Dataset.classification(tensor(x), y);
    }

    /** Points with labels drawn at random: a model can only memorise them. */
    static Dataset noise(int n, int features, int classes, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[n][features];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(classes);
            for (int j = 0; j < features; j++) {
                x[i][j] = (float) r.nextGaussian();
            }
        }
        return Dataset.classification(tensor(x), y);
    }

    /** A regression whose targets are {@code scale · sum(x)}. */
    static Dataset linear(int n, double scale, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[n][4];
        float[][] y = new float[n][1];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < 4; j++) {
                x[i][j] = (float) r.nextGaussian();
                s += x[i][j];
            }
            y[i][0] = (float) (scale * s);
        }
        return Dataset.regression(tensor(x), tensor(y));
    }

    /** 20 one-hot rows of 4 features, two classes, with a NaN in row 15: batches of 5 meet it in the fourth. */
    static Dataset withNanAtRow15() {
        float[][] x = new float[20][4];
        int[] y = new int[20];
        for (int i = 0; i < 20; i++) {
            x[i][i % 4] = 1;
            y[i] = i % 2;
        }
        x[15][2] = Float.NaN;
        return Dataset.classification(tensor(x), y);
    }
}
