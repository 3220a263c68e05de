namespace Qwen.Extensions.AI.Mapping;

/// <summary>
/// Tells an image's concrete media type from its first bytes, for a <c>DataContent</c> whose media type names no format
/// (<c>image/*</c>, <c>*/*</c>, <c>application/octet-stream</c>): the service needs a real type in the data URI.
/// </summary>
internal static class ImageTypeSniffer
{
    /// <summary>Whether <paramref name="mediaType"/> names no concrete format (a wildcard, or generic bytes).</summary>
    public static bool IsNonConcrete(string mediaType) =>
        mediaType.EndsWith("/*", StringComparison.Ordinal) ||
        mediaType.StartsWith("*/", StringComparison.Ordinal) ||
        mediaType.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase);

    /// <summary>The media type of a PNG, JPEG, GIF, WebP, BMP or TIFF image, from its magic bytes; otherwise <see langword="null"/>.</summary>
    public static string? Sniff(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "image/png";
        }

        if (data.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return "image/jpeg";
        }

        if (data.StartsWith("GIF87a"u8) || data.StartsWith("GIF89a"u8))
        {
            return "image/gif";
        }

        if (data.Length >= 12 && data.StartsWith("RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8))
        {
            return "image/webp";
        }

        if (data.Length >= 14 && data.StartsWith("BM"u8))
        {
            return "image/bmp";
        }

        if (data.StartsWith("II*\0"u8) || data.StartsWith("MM\0*"u8))
        {
            return "image/tiff";
        }

        return null;
    }
}
