namespace Qwen.Extensions.AI.Http;

/// <summary>
/// One request for <see cref="QwenHttpSender"/>: method, URI, and a JSON body (sent with POST) or a content factory (a multipart
/// upload), an optional extra header, an optional check of a 2xx body, and whether it may be sent again.
/// </summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Uri">The absolute URI (under the client's endpoint).</param>
/// <param name="Body">The JSON body of a POST without <paramref name="Content"/>; ignored otherwise.</param>
/// <param name="Header">An extra request header (for example <c>x-dashscope-session-cache</c>), or <see langword="null"/>.</param>
/// <param name="CheckBody">
/// Called with a whole 2xx answer and the API key (for redaction); a returned exception is thrown inside the retry loop, so a failure
/// reported in a 200 body is retried as <see cref="RetryPolicy"/> says for it. <see langword="null"/> for none.
/// </param>
/// <param name="Content">Makes the body of each attempt (a multipart upload rewinds its stream), or <see langword="null"/>.</param>
/// <param name="Retryable">Whether a failed attempt may be sent again (not when the body cannot be, such as a forward-only stream).</param>
internal readonly record struct OutgoingRequest(
    HttpMethod Method,
    Uri Uri,
    ReadOnlyMemory<byte> Body = default,
    KeyValuePair<string, string>? Header = null,
    Func<CompletionBody, string, QwenApiException?>? CheckBody = null,
    Func<HttpContent>? Content = null,
    bool Retryable = true);
