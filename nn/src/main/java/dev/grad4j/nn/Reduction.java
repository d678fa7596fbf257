package dev.grad4j.nn;

/** How a loss combines per-element values: their mean (the default), their sum, or none (the per-element losses). */
public enum Reduction {
    MEAN, SUM, NONE
}
