namespace Qwen.Extensions.AI.Emulator.Responses;

/// <summary>
/// The stored responses (<c>store</c> true, kept 7 days on the emulator's <see cref="TimeProvider"/>) and the session cache
/// (<c>x-dashscope-session-cache: enable</c>: the context before a continuation is cached when it has ≥1024 tokens, for 5 minutes
/// reset on every hit; a later continuation of the same chain hits the longest live cached prefix and creates only the increment).
/// </summary>
internal sealed class ResponseStore(TimeProvider time)
{
    private readonly Dictionary<string, ResponseRecord> _stored = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Tokens, DateTimeOffset Expires)> _sessionCache = new(StringComparer.Ordinal);
    private readonly object _lock = new();

    public DateTimeOffset Now => time.GetUtcNow();

    public void Add(ResponseRecord response)
    {
        if (!response.Store)
        {
            return;
        }

        lock (_lock)
        {
            _stored[response.Id] = response;
        }
    }

    /// <summary>A stored response, or <see langword="null"/> when it never was stored, was deleted or is older than 7 days.</summary>
    public ResponseRecord? Find(string id)
    {
        lock (_lock)
        {
            if (!_stored.TryGetValue(id, out var response))
            {
                return null;
            }

            if (Now - response.StoredAt >= ResponsesCatalog.StoredLifetime)
            {
                _stored.Remove(id);
                return null;
            }

            return response;
        }
    }

    public bool Delete(string id)
    {
        if (Find(id) is null)
        {
            return false;
        }

        lock (_lock)
        {
            _sessionCache.Remove(id);
            return _stored.Remove(id);
        }
    }

    /// <summary>
    /// The session cache for a continuation of <paramref name="previous"/>: the tokens hit and the tokens written, or
    /// <see langword="null"/> when the context is under 1024 tokens (creation waits until it grows past that [doc CC]).
    /// </summary>
    public (int Hit, int Creation)? UseSessionCache(ResponseRecord previous)
    {
        var prefix = previous.ContextTokens;
        if (prefix < ResponsesCatalog.SessionCacheMinTokens)
        {
            return null;
        }

        lock (_lock)
        {
            var now = Now;
            var hit = 0;
            for (var id = previous.Id; id is not null; id = _stored.TryGetValue(id, out var ancestor) ? ancestor.PreviousResponseId : null)
            {
                if (_sessionCache.TryGetValue(id, out var entry) && entry.Expires > now)
                {
                    hit = entry.Tokens;
                    _sessionCache[id] = (entry.Tokens, now + ResponsesCatalog.SessionCacheLifetime);
                    break;
                }
            }

            _sessionCache[previous.Id] = (prefix, now + ResponsesCatalog.SessionCacheLifetime);
            return (hit, prefix - hit);
        }
    }
}
