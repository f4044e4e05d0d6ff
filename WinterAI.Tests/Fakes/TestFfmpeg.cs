using WinterAI.Domain.Turns.AudioConversion;

namespace WinterAI.Tests.Fakes;

/// <summary>ffmpeg for the voice tests, and recordings for it to convert: such a test is ignored, saying why, where ffmpeg is not installed.</summary>
public static class TestFfmpeg
{
    public const string MissingMessage = "ffmpeg is not installed (apt-get install ffmpeg): this voice test converts a real recording and is skipped.";

    public static void Require()
    {
        if (FfmpegAudioConverter.Locate("ffmpeg") is null)
        {
            Assert.Ignore(MissingMessage);
        }
    }

    /// <summary>
    /// An AMR-NB file as WeChat's media/get hands out voice: the <c>#!AMR</c> header and <paramref name="frames"/> 20 ms
    /// frames of 12.2 kbit/s (fixed pseudo-random bits, which the decoder plays as noise). Built here because the usual
    /// ffmpeg builds decode AMR but cannot encode it.
    /// </summary>
    public static byte[] AmrRecording(int frames = 50)
    {
        var random = new Random(14);
        var file = new List<byte>("#!AMR\n"u8.ToArray());
        for (var frame = 0; frame < frames; frame++)
        {
            // Frame type 7 (12.2 kbit/s), quality bit set: 31 bytes of speech bits follow.
            file.Add(0x3C);
            var bits = new byte[31];
            random.NextBytes(bits);
            file.AddRange(bits);
        }

        return [.. file];
    }
}
