namespace Qwen.Extensions.AI;

/// <summary>
/// A video given as a sequence of frame images, sent as <c>{"type":"video","video":[url, ...]}</c>. For a video file or
/// URL, use a <see cref="DataContent"/> or <see cref="UriContent"/> with a <c>video/*</c> media type instead.
/// </summary>
public sealed class QwenVideoFramesContent : AIContent
{
    /// <summary>Initializes a new instance of the <see cref="QwenVideoFramesContent"/> class.</summary>
    /// <param name="frames">The frames, in order: absolute image URLs (http, https, <c>oss://</c>) or <c>data:image/...</c> URIs.</param>
    /// <exception cref="ArgumentException">No frames, or a frame that is not an absolute URI.</exception>
    public QwenVideoFramesContent(IEnumerable<Uri> frames)
    {
        Throw.IfNull(frames);
        var list = new List<Uri>();
        foreach (var frame in frames)
        {
            if (frame is null || !frame.IsAbsoluteUri)
            {
                throw new ArgumentException($"Frame {list.Count} is {(frame is null ? "null" : "a relative URI")}; every frame must be an absolute image URL.", nameof(frames));
            }

            list.Add(frame);
        }

        if (list.Count == 0)
        {
            throw new ArgumentException("A video needs at least one frame.", nameof(frames));
        }

        Frames = list;
    }

    /// <summary>Gets the frame image URLs, in order.</summary>
    public IReadOnlyList<Uri> Frames { get; }
}
