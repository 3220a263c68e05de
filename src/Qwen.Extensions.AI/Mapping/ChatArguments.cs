namespace Qwen.Extensions.AI.Mapping;

/// <summary>
/// The argument checks both chat clients (<see cref="QwenChatClient"/>, <see cref="QwenResponsesChatClient"/>) make before building a
/// request, so each rule and its message are written once.
/// </summary>
internal static class ChatArguments
{
    /// <summary>The messages as a list: not null, not empty, no null entry.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is null.</exception>
    /// <exception cref="ArgumentException">The list is empty or has a null entry.</exception>
    public static IList<ChatMessage> AsList(IEnumerable<ChatMessage> messages)
    {
        Throw.IfNull(messages);
        var list = messages as IList<ChatMessage> ?? messages.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("messages is empty; send at least one message.", nameof(messages));
        }

        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is null)
            {
                throw new ArgumentException($"messages[{i}] is null; every entry of messages must be a ChatMessage.", nameof(messages));
            }
        }

        return list;
    }

    /// <summary>The model of a request: <see cref="ChatOptions.ModelId"/>, else the client's default.</summary>
    /// <param name="options">The request's options.</param>
    /// <param name="defaultModelId">The client's <see cref="QwenClientOptions.DefaultModelId"/>.</param>
    /// <param name="example">A model id to suggest in the messages, e.g. <c>qwen-plus</c>.</param>
    /// <exception cref="ArgumentException"><see cref="ChatOptions.ModelId"/> is empty or whitespace.</exception>
    /// <exception cref="InvalidOperationException">Neither is set.</exception>
    public static string ResolveModel(ChatOptions? options, string? defaultModelId, string example)
    {
        if (options?.ModelId is { } model)
        {
            return string.IsNullOrWhiteSpace(model)
                ? throw new ArgumentException($"ChatOptions.ModelId is empty or whitespace; set a model such as '{example}', or leave it null to use QwenClientOptions.DefaultModelId.", nameof(options))
                : model;
        }

        return defaultModelId ?? throw new InvalidOperationException(
            $"No model id: set ChatOptions.ModelId on the request or QwenClientOptions.DefaultModelId on the client (for example '{example}').");
    }

    /// <summary>Whether reasoning is surfaced: unless <see cref="ReasoningOptions.Output"/> is <see cref="ReasoningOutput.None"/>.</summary>
    public static bool IncludeReasoning(ChatOptions? options) => options?.Reasoning?.Output != ReasoningOutput.None;
}
