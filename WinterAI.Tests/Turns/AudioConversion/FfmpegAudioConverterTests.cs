using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Turns;
using WinterAI.Domain.Turns.AudioConversion;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Turns.AudioConversion;

public sealed class FfmpegAudioConverterTests
{
    private static FfmpegAudioConverter Converter(string path = "ffmpeg") =>
        new(new StaticOptionsMonitor(new AudioConversionOptions { FfmpegPath = path }), NullLogger<FfmpegAudioConverter>.Instance);

    [Test]
    public async Task ConvertsAnAmrRecordingToAnMp3ThroughPipes()
    {
        TestFfmpeg.Require();

        var mp3 = await Converter().ToMp3Async(new MediaFile(TestFfmpeg.AmrRecording(), "voice.amr", "audio/amr"), CancellationToken.None);

        mp3.ContentType.ShouldBe("audio/mpeg");
        mp3.FileName.ShouldBe("voice.mp3");
        mp3.Content.Length.ShouldBeGreaterThan(1000);
        (mp3.Content.AsSpan().StartsWith("ID3"u8) || mp3.Content[0] == 0xFF).ShouldBeTrue("an MP3 starts with an ID3 tag or a frame sync");
    }

    [Test]
    public async Task ARecordingThatIsNotAudioIsRefusedWithFfmpegsReason()
    {
        TestFfmpeg.Require();

        var refused = await Should.ThrowAsync<AudioConversionException>(() =>
            Converter().ToMp3Async(new MediaFile("not a recording at all"u8.ToArray(), "voice.bin", "application/octet-stream"), CancellationToken.None));

        refused.Missing.ShouldBeFalse();
        refused.Message.ShouldContain("exit code");
    }

    [Test]
    public async Task AMissingProgramIsReportedAsMissing()
    {
        var converter = Converter("/nonexistent/ffmpeg");

        converter.IsAvailable.ShouldBeFalse();
        var refused = await Should.ThrowAsync<AudioConversionException>(() =>
            converter.ToMp3Async(new MediaFile(TestFfmpeg.AmrRecording(), "voice.amr", "audio/amr"), CancellationToken.None));
        refused.Missing.ShouldBeTrue();
    }

    private sealed class StaticOptionsMonitor(AudioConversionOptions value) : IOptionsMonitor<AudioConversionOptions>
    {
        public AudioConversionOptions CurrentValue => value;

        public AudioConversionOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<AudioConversionOptions, string?> listener) => null;
    }
}
