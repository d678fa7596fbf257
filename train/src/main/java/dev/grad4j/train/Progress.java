package dev.grad4j.train;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.util.Locale;

/**
 * Shows a run's progress: on a terminal, a progress bar per epoch (me.tongfei:progressbar) with the
 * running loss; otherwise (a file, a pipe, CI) one plain line per epoch; or nothing. Each epoch
 * ends with a line of its metrics, and warnings are printed as they are raised.
 */
public final class Progress implements Callback {

    /** How to show progress. */
    public enum Mode {
        /** A bar when the output is an interactive terminal, lines otherwise. */
        AUTO,
        /** A progress bar per epoch. */
        BAR,
        /** One line per epoch. */
        LINES,
        /** Nothing at all. */
        SILENT
    }

    private final Mode requested;
    private Mode mode;
    private ProgressBar bar;

    Progress(Mode mode) {
        this.requested = mode;
    }

    @Override
    public void onTrainBegin(FitState run) {
        mode = requested == Mode.AUTO ? (run.out() == System.out && System.console() != null ? Mode.BAR : Mode.LINES)
                : requested;
        if (mode != Mode.SILENT && run.epoch() > 0) {
            run.out().printf(Locale.ROOT, "resuming at epoch %d of %d%n", run.epoch() + 1, run.epochs());
        }
    }

    @Override
    public void onEpochBegin(FitState run) {
        if (mode == Mode.BAR) {
            bar = new ProgressBarBuilder()
                    .setTaskName(String.format(Locale.ROOT, "epoch %d/%d", run.epoch() + 1, run.epochs()))
                    .setInitialMax(run.stepsPerEpoch())
                    .setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(run.out()))
                    .setUpdateIntervalMillis(200)
                    .build();
        }
    }

    @Override
    public void onBatchEnd(FitState run) {
        if (bar != null) {
            bar.step();
            bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f", run.batchLoss()));
        }
    }

    @Override
    public void onEpochEnd(FitState run) {
        closeBar();
        if (mode == Mode.SILENT) {
            return;
        }
        run.out().println(line(run.last(), run.epochs()));
    }

    @Override
    public void onTrainEnd(FitState run) {
        closeBar();
        if (mode != Mode.SILENT && run.stopReason() != null) {
            run.out().println("stopped: " + run.stopReason());
        }
    }

    @Override
    public void onWarning(FitState run, TrainingWarning warning) {
        if (mode != Mode.SILENT) {
            run.out().println(warning);
        }
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    /** {@code epoch  3/30  loss 0.2104  acc 93.8%  val_loss 0.2481  val_acc 92.5%  gap 1.3  0.41s}. */
    static String line(EpochRecord r, int epochs) {
        return String.format(Locale.ROOT, "epoch %3d/%d  ", r.epoch() + 1, epochs) + metrics(r);
    }

    /** {@code loss 0.2104  acc 93.8%  val_loss 0.2481  val_acc 92.5%  gap 1.3  0.41s}. */
    static String metrics(EpochRecord r) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "loss %.4f", r.trainLoss()));
        if (!Double.isNaN(r.trainAccuracy())) {
            sb.append(String.format(Locale.ROOT, "  acc %.1f%%", 100 * r.trainAccuracy()));
        }
        if (!Double.isNaN(r.valLoss())) {
            sb.append(String.format(Locale.ROOT, "  val_loss %.4f", r.valLoss()));
        }
        if (!Double.isNaN(r.valAccuracy())) {
            sb.append(String.format(Locale.ROOT, "  val_acc %.1f%%  gap %.1f", 100 * r.valAccuracy(), r.gap()));
        }
        return sb.append(String.format(Locale.ROOT, "  %.2fs", r.seconds())).toString();
    }
}
