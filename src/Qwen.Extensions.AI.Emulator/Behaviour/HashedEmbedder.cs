namespace Qwen.Extensions.AI.Emulator.Behaviour;

/// <summary>
/// A deterministic stand-in for an embedding model: the text's character trigrams (lower-cased, with word boundaries) and words
/// are hashed (FNV-1a) into signed buckets of a vector of the requested size, which is then L2-normalized. The same text always
/// gives the same vector; texts that share words and fragments give vectors with a higher cosine similarity.
/// </summary>
internal static class HashedEmbedder
{
    private const int GramLength = 3;

    public static float[] Embed(string text, int dimensions)
    {
        var vector = new double[dimensions];
        var normalized = " " + text.ToLower(CultureInfo.InvariantCulture).Normalize(NormalizationForm.FormKC) + " ";
        for (var i = 0; i + GramLength <= normalized.Length; i++)
        {
            Add(vector, normalized.AsSpan(i, GramLength), 1.0);
        }

        foreach (var word in normalized.Split([' ', '\t', '\n', '\r', ',', '.', '?', '!', ';', ':'], StringSplitOptions.RemoveEmptyEntries))
        {
            Add(vector, word, 2.0);
        }

        double norm = 0;
        foreach (var value in vector)
        {
            norm += value * value;
        }

        norm = Math.Sqrt(norm);
        var result = new float[dimensions];
        if (norm == 0)
        {
            // Nothing to hash (only whitespace): a fixed unit vector.
            result[0] = 1;
            return result;
        }

        for (var i = 0; i < dimensions; i++)
        {
            result[i] = (float)(vector[i] / norm);
        }

        return result;
    }

    private static void Add(double[] vector, ReadOnlySpan<char> gram, double weight)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in gram)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        var bucket = (int)(hash % (ulong)vector.Length);
        vector[bucket] += (hash >> 63) == 0 ? weight : -weight;
    }
}
