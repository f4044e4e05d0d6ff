using System.ComponentModel.DataAnnotations;

namespace WinterAI.Domain.Turns.AudioConversion;

/// <summary>
/// The keys of the <c>Media</c> section that say how voice is converted for Dify (the channels read the download bounds
/// of the same section): the <c>ffmpeg</c> program and how long one conversion may take.
/// </summary>
public sealed class AudioConversionOptions
{
    public const string Section = "Media";

    /// <summary>
    /// The ffmpeg program: a name looked up on <c>PATH</c> or a path to the file. Default <c>ffmpeg</c>. Empty, or a
    /// program that is not there: voice without the platform's own recognition gets <c>Messages:UnsupportedVoice</c>.
    /// </summary>
    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>How long one conversion may take before ffmpeg is killed. Default 20 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan FfmpegTimeout { get; set; } = TimeSpan.FromSeconds(20);
}
