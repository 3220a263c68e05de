namespace Qwen.Extensions.AI;

/// <summary>
/// Whether <see cref="QwenChatClient"/> places explicit context-cache markers (<c>cache_control</c>) by itself: the setting of
/// <see cref="QwenClientOptions.ContextCache"/>, overridable per request with <see cref="QwenPropertyNames.ContextCache"/>.
/// </summary>
/// <remarks>
/// Markers you put on contents yourself (<see cref="QwenContextCacheExtensions.WithCacheControl{TContent}(TContent)"/> or
/// <c>AdditionalProperties["cache_control"]</c>) are always sent, whatever this says. README, "Context cache", has the rule.
/// </remarks>
public enum QwenContextCachePolicy
{
    /// <summary>The default: the client adds no marker; only yours are sent, and the service's implicit cache applies otherwise.</summary>
    None = 0,

    /// <summary>
    /// For models whose facts include <see cref="QwenModelCapabilities.ExplicitCache"/>, the client marks the system prompt, the last
    /// user turn and the last two assistant turns after it (the tool-call boundaries of an agent loop), never a tool message, at
    /// most four markers in all. Other models get no marker.
    /// </summary>
    Auto = 1,
}
