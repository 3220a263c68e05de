using System.Runtime.CompilerServices;

namespace Qwen.Extensions.AI.SemanticKernel;

/// <summary>
/// Semantic Kernel's own <see cref="IChatClient"/> bridge (<c>AsChatCompletionService</c>, which converts settings and drives
/// <c>KernelChatOptions</c> for the auto-function-invocation filters), plus reasoning: each result whose metadata carries
/// <see cref="QwenMetadataKeys.Reasoning"/> also gets a <c>ReasoningContent</c> / <c>StreamingReasoningContent</c> item first.
/// </summary>
#pragma warning disable SKEXP0110 // ReasoningContent is experimental in SK; it is what SK users look for.
internal sealed class QwenChatCompletionService(IChatClient chatClient, IServiceProvider? serviceProvider) : IChatCompletionService, IDisposable
{
    private readonly IChatCompletionService _inner = chatClient.AsChatCompletionService(serviceProvider);

    public IReadOnlyDictionary<string, object?> Attributes => _inner.Attributes;

    /// <summary>Gets the pipeline this service sends through (it is not registered in the container: the service owns it).</summary>
    internal IChatClient ChatClient => chatClient;

    public void Dispose() => chatClient.Dispose();

    public async Task<IReadOnlyList<ChatMessageContent>> GetChatMessageContentsAsync(
        ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chatHistory);
        var before = chatHistory.Count;
        var results = await _inner.GetChatMessageContentsAsync(chatHistory, executionSettings, kernel, cancellationToken).ConfigureAwait(false);

        // Intermediate messages of a tool loop are added to the history by SK; they can carry reasoning too.
        for (var i = before; i < chatHistory.Count; i++)
        {
            AddReasoningItem(chatHistory[i]);
        }

        foreach (var result in results)
        {
            AddReasoningItem(result);
        }

        return results;
    }

    public async IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(
        ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chatHistory);
        var before = chatHistory.Count;
        var turns = new StreamedTurns();
        try
        {
            await foreach (var update in _inner.GetStreamingChatMessageContentsAsync(chatHistory, executionSettings, kernel, cancellationToken).ConfigureAwait(false))
            {
                if (update.Metadata?.TryGetValue(QwenMetadataKeys.Reasoning, out var value) is true && value is string { Length: > 0 } text)
                {
                    turns.AddReasoning(text);
                    if (!update.Items.OfType<StreamingReasoningContent>().Any())
                    {
                        update.Items.Insert(0, new StreamingReasoningContent(text) { ModelId = update.ModelId });
                    }
                }

                foreach (var call in update.Items.OfType<StreamingFunctionCallUpdateContent>())
                {
                    turns.AddCall(call.CallId);
                }

                yield return update;
            }
        }
        finally
        {
            // SK adds the tool loop's assistant messages to the history from the calls alone; give each the reasoning of its
            // turn, as the non-streaming loop has it (a ReasoningContent item before the calls, and the metadata entry).
            turns.End();
            for (var i = before; i < chatHistory.Count; i++)
            {
                AddStreamedReasoning(chatHistory[i], turns);
            }
        }
    }

    private static void AddStreamedReasoning(ChatMessageContent message, StreamedTurns turns)
    {
        if (message.Role != AuthorRole.Assistant || message.Items.OfType<ReasoningContent>().Any())
        {
            return;
        }

        for (var i = 0; i < message.Items.Count; i++)
        {
            if (message.Items[i] is Microsoft.SemanticKernel.FunctionCallContent { Id: { } id } && turns.ReasoningOf(id) is { } text)
            {
                message.Items.Insert(i, new ReasoningContent(text) { ModelId = message.ModelId });
                var metadata = message.Metadata is null ? new Dictionary<string, object?>() : new Dictionary<string, object?>(message.Metadata);
                metadata[QwenMetadataKeys.Reasoning] = text;
                message.Metadata = metadata;
                return;
            }
        }
    }

    private static void AddReasoningItem(ChatMessageContent message)
    {
        if (message.Metadata?.TryGetValue(QwenMetadataKeys.Reasoning, out var value) is true && value is string { Length: > 0 } text &&
            !message.Items.OfType<ReasoningContent>().Any())
        {
            message.Items.Insert(0, new ReasoningContent(text) { ModelId = message.ModelId });
        }
    }
}
/// <summary>The reasoning of each streamed turn that ended in tool calls, by the id of the turn's first call.</summary>
internal sealed class StreamedTurns
{
    private readonly Dictionary<string, string> _byFirstCall = new(StringComparer.Ordinal);
    private readonly StringBuilder _reasoning = new();
    private string? _firstCall;

    public void AddReasoning(string piece)
    {
        if (_firstCall is not null)
        {
            End(); // reasoning after a turn's calls starts the next turn
        }

        _reasoning.Append(piece);
    }

    public void AddCall(string? callId) => _firstCall ??= string.IsNullOrEmpty(callId) ? null : callId;

    public void End()
    {
        if (_firstCall is not null && _reasoning.Length > 0)
        {
            _byFirstCall[_firstCall] = _reasoning.ToString();
        }

        _firstCall = null;
        _reasoning.Clear();
    }

    public string? ReasoningOf(string callId) => _byFirstCall.TryGetValue(callId, out var text) ? text : null;
}
#pragma warning restore SKEXP0110
