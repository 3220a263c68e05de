using System.Security.Cryptography;

namespace Qwen.Extensions.AI.Emulator.Behaviour;

/// <summary>
/// Emulates DashScope's implicit context cache: the tokens of the longest message prefix already seen by this emulator
/// are reported as <c>prompt_tokens_details.cached_tokens</c>. Deterministic per emulator instance.
/// </summary>
internal sealed class PrefixCache
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly object _lock = new();

    public int Observe(IReadOnlyList<MessageFact> messages)
    {
        var hashes = new string[messages.Count];
        var tokens = new int[messages.Count];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var running = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(messages[i].Raw.GetRawText()));
            hash.AppendData("\n"u8);
            hashes[i] = Convert.ToBase64String(hash.GetCurrentHash());
            running += TokenCounter.Count(messages[i]);
            tokens[i] = running;
        }

        lock (_lock)
        {
            var cached = 0;
            for (var i = messages.Count - 1; i >= 0; i--)
            {
                if (_seen.Contains(hashes[i]))
                {
                    cached = tokens[i];
                    break;
                }
            }

            foreach (var h in hashes)
            {
                _seen.Add(h);
            }

            return cached;
        }
    }
}
