namespace Qwen.Extensions.AI;

/// <summary>Marks message contents for DashScope's explicit context cache (<c>cache_control: {"type": "ephemeral"}</c>).</summary>
/// <remarks>
/// The service caches everything from the start of <c>messages</c> up to a marked part, for 5 minutes (renewed on each hit), when
/// that prefix holds at least 1,024 tokens; a hit costs 10 % of the input price, writing 125 %. At most four markers count per
/// request: with more, the client keeps the last four and logs a warning. Only the models that support explicit caching honour
/// markers (README, "Context cache"); <see cref="QwenContextCachePolicy.Auto"/> places them for you.
/// </remarks>
public static class QwenContextCacheExtensions
{
    private static readonly JsonElement Ephemeral = JsonDocument.Parse("{\"type\":\"ephemeral\"}").RootElement.Clone();

    /// <summary>Marks <paramref name="content"/> as the end of a cached prefix: sets <c>AdditionalProperties["cache_control"]</c> to <c>{"type":"ephemeral"}</c>.</summary>
    /// <typeparam name="TContent">The content type.</typeparam>
    /// <param name="content">A text, image, video or function-result content of a message.</param>
    /// <returns>The same content, for chaining.</returns>
    public static TContent WithCacheControl<TContent>(this TContent content)
        where TContent : AIContent
    {
        Throw.IfNull(content);
        (content.AdditionalProperties ??= [])[QwenPropertyNames.CacheControl] = Ephemeral;
        return content;
    }

    /// <summary>Marks the last content of <paramref name="message"/> (see <see cref="WithCacheControl{TContent}(TContent)"/>).</summary>
    /// <param name="message">A message with at least one content, e.g. <c>new ChatMessage(ChatRole.System, longPrompt)</c>.</param>
    /// <returns>The same message, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="message"/> has no contents.</exception>
    public static ChatMessage WithCacheControl(this ChatMessage message)
    {
        Throw.IfNull(message);
        if (message.Contents.Count == 0)
        {
            throw new ArgumentException("The message has no contents to mark for the context cache.", nameof(message));
        }

        message.Contents[^1].WithCacheControl();
        return message;
    }
}
