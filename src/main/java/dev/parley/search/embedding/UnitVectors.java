package dev.parley.search.embedding;

/** Checks shared by the embedding models: a vector is stored only when it has the promised shape. */
final class UnitVectors {

    private UnitVectors() {
    }

    /**
     * The vector scaled to unit length, in place, or null when it cannot be: a zero vector or a NaN/infinite
     * component would make every cosine distance to it meaningless.
     */
    static float[] normalizedOrNull(float[] vector) {
        double sum = 0;
        for (float value : vector) {
            sum += (double) value * value;
        }
        if (!(sum > 0) || Double.isInfinite(sum)) {
            return null;
        }
        double norm = Math.sqrt(sum);
        for (int i = 0; i < vector.length; i++) {
            vector[i] = (float) (vector[i] / norm);
        }
        return vector;
    }
}
