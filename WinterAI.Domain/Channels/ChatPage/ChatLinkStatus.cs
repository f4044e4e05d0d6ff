namespace WinterAI.Domain.Channels.ChatPage;

/// <summary>What checking a chat link token found. Only <see cref="Valid"/> opens anything.</summary>
public enum ChatLinkStatus
{
    Valid,
    /// <summary>Signed by us, but past its expiry.</summary>
    Expired,
    /// <summary>Missing, malformed, altered or signed with another key.</summary>
    Invalid,
}
