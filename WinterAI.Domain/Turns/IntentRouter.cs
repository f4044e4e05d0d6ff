using Microsoft.Extensions.Options;

namespace WinterAI.Domain.Turns;

/// <summary>Turns an inbound message or event into an <see cref="Intent"/>: commands, menu keys, keywords, message types.</summary>
public sealed class IntentRouter(IOptionsMonitor<MessagesOptions> messages, KeywordMatcher keywords)
{
    public const string FetchCommand = "1";
    public const string ClearCommand = "/clear";
    public const string HelpCommand = "/help";
    public const string HelpReference = "@help";

    /// <summary>The menu key and text command that answer with a link to the H5 chat page.</summary>
    public const string WebCommand = "web";

    /// <summary>The question of a voice message until its turn transcribes it (kept if it cannot).</summary>
    public const string VoiceQuestion = "（语音）";

    /// <summary>What a voice message's transcription asks for: the same as the text typed.</summary>
    public Intent RouteHeard(string heard) => RouteText(heard, messages.CurrentValue);

    public Intent Route(Inbound message)
    {
        var texts = messages.CurrentValue;
        return message switch
        {
            Inbound.Text { Attachments: { Count: > 0 } pictures } text => RouteWithPictures(text.Content, pictures, texts),
            Inbound.Text text => RouteText(text.Content, texts),
            Inbound.Voice { Recognition: { Length: > 0 } recognition } => RouteText(recognition, texts) is Intent.Ask spoken ? spoken with { Spoken = true } : RouteText(recognition, texts),
            // Transcribed when the turn runs, not here: WeChat's 5 seconds are for the answer.
            Inbound.Voice { Recording: { } recording } => new Intent.Ask(VoiceQuestion, [recording]),
            Inbound.Voice => new Intent.Say(texts.UnsupportedVoice),
            Inbound.Image { Picture: { } picture } => new Intent.Ask(texts.ImagePrompt, [picture], PicturesOnly: true),
            Inbound.Image => new Intent.Say(texts.UnsupportedImage),
            Inbound.Subscribed => new Intent.Say(texts.Help),
            Inbound.MenuClick click => RouteMenuKey(click.Key, texts),
            Inbound.Other { Kind: OtherKind.Video } => new Intent.Say(texts.UnsupportedVideo),
            Inbound.Other { Kind: OtherKind.Location } => new Intent.Say(texts.UnsupportedLocation),
            Inbound.Other { Kind: OtherKind.Link } => new Intent.Say(texts.UnsupportedLink),
            Inbound.Other { Kind: OtherKind.Event } => new Intent.Nothing(),
            _ => new Intent.Say(texts.Unsupported),
        };
    }

    /// <summary>Text and pictures together: a question about the pictures; commands and keywords keep their meaning.</summary>
    private Intent RouteWithPictures(string content, IReadOnlyList<Attachment> pictures, MessagesOptions texts)
    {
        var trimmed = content.Trim();
        if (trimmed.Length == 0)
        {
            return new Intent.Ask(texts.ImagePrompt, pictures, PicturesOnly: true);
        }

        var intent = RouteText(trimmed, texts);
        return intent is Intent.Ask ask ? ask with { Attachments = pictures } : intent;
    }

    private Intent RouteText(string content, MessagesOptions texts)
    {
        var trimmed = content.Trim();
        if (trimmed.Length == 0)
        {
            return new Intent.Say(texts.Help);
        }

        if (trimmed == FetchCommand)
        {
            return new Intent.Fetch();
        }

        if (trimmed.Equals(ClearCommand, StringComparison.OrdinalIgnoreCase))
        {
            return new Intent.Clear();
        }

        if (trimmed.Equals(HelpCommand, StringComparison.OrdinalIgnoreCase))
        {
            return new Intent.Say(texts.Help);
        }

        if (InputCommands.Parse(trimmed) is { } inputCommand)
        {
            return inputCommand;
        }

        if (trimmed.Equals(WebCommand, StringComparison.OrdinalIgnoreCase) || trimmed.Equals("/" + WebCommand, StringComparison.OrdinalIgnoreCase))
        {
            return new Intent.OpenChat();
        }

        return keywords.Match(trimmed) is { } reply
            ? new Intent.Say(Resolve(reply, texts))
            : new Intent.Ask(trimmed);
    }

    private static Intent RouteMenuKey(string key, MessagesOptions texts) =>
        key == WebCommand ? new Intent.OpenChat()
        : texts.Menu.TryGetValue(key, out var reply) ? new Intent.Say(Resolve(reply, texts))
        : new Intent.Nothing();

    private static string Resolve(string reply, MessagesOptions texts) => reply == HelpReference ? texts.Help : reply;
}
