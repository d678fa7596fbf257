package dev.grad4j.train;

import de.siegmar.fastcsv.writer.CsvWriter;
import dev.grad4j.api.io.AtomicFile;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-epoch metrics as a CSV file that {@code pandas.read_csv} loads: one row per epoch with
 * the losses, accuracies, gap, learning rate and time, then each parameter's gradient norm and
 * update ratio and each ReLU layer's dead fraction. The file is rewritten atomically after every
 * epoch, so it is always whole.
 */
final class MetricsLog implements Callback {

    private final Path file;

    MetricsLog(Path file) {
        this.file = file;
    }

    @Override
    public void onEpochEnd(FitState run) {
        write(run.history());
    }

    @Override
    public void onTrainEnd(FitState run) {
        if (!run.history().isEmpty()) {
            write(run.history());
        }
    }

    private void write(List<EpochRecord> history) {
        EpochRecord first = history.get(0);
        List<String> header = new ArrayList<>(List.of("epoch", "trainLoss", "trainAccuracy", "valLoss", "valAccuracy",
                "gap", "learningRate", "seconds"));
        for (String p : first.parameters().keySet()) {
            header.add("gradNorm[" + p + "]");
            header.add("updateRatio[" + p + "]");
        }
        for (String l : first.deadUnits().keySet()) {
            header.add("deadUnits[" + l + "]");
        }
        try {
            AtomicFile.write(file, out -> {
                Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                CsvWriter csv = CsvWriter.builder().build(w);
                csv.writeRecord(header);
                for (EpochRecord r : history) {
                    List<String> row = new ArrayList<>();
                    row.add(Integer.toString(r.epoch() + 1));
                    for (double v : new double[]{r.trainLoss(), r.trainAccuracy(), r.valLoss(), r.valAccuracy(), r.gap(),
                            r.learningRate(), r.seconds()}) {
                        row.add(number(v));
                    }
                    for (String p : first.parameters().keySet()) {
                        LayerStats s = r.parameters().get(p);
                        row.add(s == null ? "" : number(s.gradNorm()));
                        row.add(s == null ? "" : number(s.updateRatio()));
                    }
                    for (String l : first.deadUnits().keySet()) {
                        Double d = r.deadUnits().get(l);
                        row.add(d == null ? "" : number(d));
                    }
                    csv.writeRecord(row);
                }
                csv.flush();
                w.flush();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the metrics log " + file + ": " + e.getMessage(), e);
        }
    }

    /** Empty for NaN (pandas reads it as NaN), else a round-trippable number. */
    private static String number(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }
}
