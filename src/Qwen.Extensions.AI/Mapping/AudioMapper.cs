using Microsoft.Extensions.AI;
using Qwen.Extensions.AI.Wire;

namespace Qwen.Extensions.AI.Mapping;

/// <summary>Qwen-Omni audio output (<c>audio.data</c>, base64) → <see cref="DataContent"/>; the transcript rides along in its properties.</summary>
internal static class AudioMapper
{
    public static void Add(List<AIContent> contents, ChoiceFrame choice)
    {
        if (string.IsNullOrEmpty(choice.AudioData) && string.IsNullOrEmpty(choice.AudioTranscript))
        {
            return;
        }

        byte[] bytes;
        try
        {
            bytes = string.IsNullOrEmpty(choice.AudioData) ? [] : Convert.FromBase64String(choice.AudioData);
        }
        catch (FormatException ex)
        {
            throw new System.Text.Json.JsonException("'audio.data' is not valid base64.", ex);
        }

        var audio = new DataContent(bytes, "audio/wav");
        if (!string.IsNullOrEmpty(choice.AudioTranscript))
        {
            audio.AdditionalProperties = new() { [ResponseFields.Transcript] = choice.AudioTranscript };
        }

        contents.Add(audio);
    }
}
