namespace Qwen.Extensions.AI.Http;

/// <summary>One request for <see cref="QwenHttpSender"/>: method, URI, JSON body (sent only with POST), an optional extra header.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Uri">The absolute URI.</param>
/// <param name="Body">The JSON body; ignored unless <paramref name="Method"/> is POST.</param>
/// <param name="Header">An extra request header (for example <c>x-dashscope-session-cache</c>), or <see langword="null"/>.</param>
/// <param name="CheckBody">
/// Called with a whole 2xx answer and the API key (for redaction); a returned exception is thrown inside the retry loop, so a failure
/// reported in a 200 body is retried as <see cref="RetryPolicy"/> says for it. <see langword="null"/> for none.
/// </param>
internal readonly record struct OutgoingRequest(
    HttpMethod Method, Uri Uri, ReadOnlyMemory<byte> Body, KeyValuePair<string, string>? Header = null, Func<CompletionBody, string, QwenApiException?>? CheckBody = null);
