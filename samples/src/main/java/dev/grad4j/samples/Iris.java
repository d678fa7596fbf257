package dev.grad4j.samples;

import dev.grad4j.data.Csv;
import dev.grad4j.data.Split;
import dev.grad4j.nn.Losses;
import dev.grad4j.optim.Adam;
import dev.grad4j.train.FitResult;

import java.net.URL;

import static dev.grad4j.Grad4j.*;
import static dev.grad4j.nn.Layers.*;
import static dev.grad4j.train.Training.*;

/**
 * The iris classifier of the README, as a function the tests call: CSV, a stratified 80/20 split,
 * standardised on the training part, a 4-16-3 ReLU MLP, Adam 0.01, batches of 16, early stopping
 * after 20 epochs without a better validation loss (restoring the best weights).
 */
public final class Iris {

    /** The data file shipped with the samples (see {@code data/README.md} for its source). */
    public static final URL DATA = Iris.class.getResource("/data/iris.csv");

    private Iris() {
    }

    /** The split the recipe trains on, for {@code backend} and {@code seed}. */
    public static Split data(String backend, long seed) {
        try (var env = using(backend).seed(seed)) {
            return Csv.read(DATA).scikitLearnFormat().stratifiedSplit(0.8, 0.2).standardize();
        }
    }

    /** Trains the recipe; the model ends with its best epoch's weights. */
    public static FitResult train(String backend, long seed) {
        try (var env = using(backend).seed(seed)) {
            var data = Csv.read(DATA).scikitLearnFormat().stratifiedSplit(0.8, 0.2).standardize();
            var model = sequential(linear(4, 16), relu(), linear(16, 3));
            return fit(model, Adam.of(model.parameters(), 0.01), Losses::crossEntropy, data,
                    epochs(200), batchSize(16), earlyStopping(20), silent());
        }
    }
}
