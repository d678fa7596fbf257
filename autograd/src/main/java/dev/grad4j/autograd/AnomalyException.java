package dev.grad4j.autograd;

/** Thrown under {@link AnomalyMode} when an op produces NaN or Inf; the message names the op and the user's call site. */
public final class AnomalyException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public AnomalyException(String message) {
        super(message);
    }
}
