using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WinterAI.Domain.Turns.AudioConversion;

/// <summary>
/// Converts a follower's recording (WeChat's AMR or Speex) to an MP3 that Dify's <c>/audio-to-text</c> takes, with
/// <c>ffmpeg</c> run as a child process. The recording goes in through stdin and the MP3 comes out through stdout, so
/// no file is ever written; a conversion that outlives <see cref="AudioConversionOptions.FfmpegTimeout"/> is killed.
/// </summary>
public sealed class FfmpegAudioConverter(IOptionsMonitor<AudioConversionOptions> options, ILogger<FfmpegAudioConverter> log)
{
    /// <summary>Dify takes audio of at most 30 MB; a minute of the MP3 below is about 250 KB.</summary>
    public const long MaxOutputBytes = 30L * 1024 * 1024;

    private readonly Lock gate = new();
    private string? reportedMissing;

    /// <summary>
    /// True when the configured ffmpeg is there (a path that exists, or a name found on <c>PATH</c>): cheap enough for a
    /// callback. The first time it is not, the log says so — once, not per message.
    /// </summary>
    public bool IsAvailable
    {
        get
        {
            var configured = options.CurrentValue.FfmpegPath.Trim();
            if (Locate(configured) is not null)
            {
                return true;
            }

            ReportMissing(configured, configured.Length == 0 ? "Media:FfmpegPath is empty" : "no such file");
            return false;
        }
    }

    /// <summary>The recording as a mono 16 kHz MP3.</summary>
    /// <exception cref="AudioConversionException">ffmpeg is missing, failed on the recording, or took too long.</exception>
    public async Task<MediaFile> ToMp3Async(MediaFile recording, CancellationToken ct)
    {
        var settings = options.CurrentValue;
        var configured = settings.FfmpegPath.Trim();
        if (Locate(configured) is not { } program)
        {
            ReportMissing(configured, configured.Length == 0 ? "Media:FfmpegPath is empty" : "no such file");
            throw new AudioConversionException("ffmpeg is not installed (Media:FfmpegPath)", missing: true);
        }

        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in (string[])["-hide_banner", "-nostats", "-loglevel", "error", "-i", "pipe:0", "-vn", "-ac", "1", "-ar", "16000", "-b:a", "32k", "-f", "mp3", "pipe:1"])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            ReportMissing(configured, ex.Message);
            throw new AudioConversionException("ffmpeg could not be started (Media:FfmpegPath)", missing: true, inner: ex);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.FfmpegTimeout);
        try
        {
            var output = ReadBoundedAsync(process.StandardOutput.BaseStream, timeout.Token);
            var errors = process.StandardError.ReadToEndAsync(timeout.Token);
            await WriteAsync(process.StandardInput.BaseStream, recording.Content, timeout.Token);
            var mp3 = await output;
            var stderr = await errors;
            await process.WaitForExitAsync(timeout.Token);
            if (process.ExitCode != 0 || mp3.Length == 0)
            {
                throw new AudioConversionException($"ffmpeg could not convert the {recording.ContentType} recording (exit code {process.ExitCode}: {FirstLine(stderr)})");
            }

            return new MediaFile(mp3, "voice.mp3", "audio/mpeg");
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new AudioConversionException($"ffmpeg took longer than {settings.FfmpegTimeout.TotalSeconds:0} s (Media:FfmpegTimeout)", inner: ex);
        }
        finally
        {
            Stop(process);
        }
    }

    /// <summary>Writes the recording and closes stdin; ffmpeg may stop reading early when the input is not audio.</summary>
    private static async Task WriteAsync(Stream stdin, byte[] content, CancellationToken ct)
    {
        try
        {
            await stdin.WriteAsync(content, ct);
            await stdin.FlushAsync(ct);
        }
        catch (IOException)
        {
            // A broken pipe: ffmpeg gave up on the input, and its exit code says why.
        }
        finally
        {
            try
            {
                stdin.Close();
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<byte[]> ReadBoundedAsync(Stream stdout, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stdout.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxOutputBytes)
            {
                throw new AudioConversionException($"the converted recording is larger than {MaxOutputBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
        catch (Win32Exception)
        {
        }
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no message";
        return line.Length <= 200 ? line : line[..200];
    }

    /// <summary>The program to start: a path when one is configured, else the first match on <c>PATH</c>; null when there is none.</summary>
    public static string? Locate(string configured)
    {
        if (configured.Length == 0)
        {
            return null;
        }

        if (configured.Contains(Path.DirectorySeparatorChar) || configured.Contains(Path.AltDirectorySeparatorChar))
        {
            return File.Exists(configured) ? configured : null;
        }

        var names = OperatingSystem.IsWindows() && !configured.EndsWith(".exe", StringComparison.OrdinalIgnoreCase) ? [configured, configured + ".exe"] : new[] { configured };
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return directories.SelectMany(d => names.Select(n => Path.Combine(d, n))).FirstOrDefault(File.Exists);
    }

    private void ReportMissing(string configured, string reason)
    {
        lock (gate)
        {
            if (reportedMissing == configured)
            {
                return;
            }

            reportedMissing = configured;
        }

        log.LogWarning(
            "ffmpeg was not found at '{FfmpegPath}' ({Reason}): voice messages without WeChat's own recognition are answered with Messages:UnsupportedVoice. Install ffmpeg or set Media:FfmpegPath.",
            configured, reason);
    }
}
