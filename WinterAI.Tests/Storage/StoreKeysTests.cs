using WinterAI.Domain;
using WinterAI.Domain.Storage;

namespace WinterAI.Tests.Storage;

public sealed class StoreKeysTests
{
    private static readonly StoreKeys Keys = new("winterai:");

    private static readonly Func<Follower, string, string>[] PerMessage =
    [
        Keys.Turn, Keys.PagesRead, Keys.Claim, Keys.Deliveries, Keys.Reply, Keys.Outcome, Keys.Pushed, Keys.Replied,
    ];

    [Test]
    public void PerMessageKeysNameTheAccountTheFollowerAndTheMessage()
    {
        var follower = new Follower("gh_account", "oA");

        PerMessage.Select(key => key(follower, "777")).ShouldBe(
        [
            "winterai:{gh_account:oA}:turn:777",
            "winterai:{gh_account:oA}:read:777",
            "winterai:{gh_account:oA}:claim:777",
            "winterai:{gh_account:oA}:deliveries:777",
            "winterai:{gh_account:oA}:reply:777",
            "winterai:{gh_account:oA}:outcome:777",
            "winterai:{gh_account:oA}:pushed:777",
            "winterai:{gh_account:oA}:replied:777",
        ]);
    }

    [Test]
    public void TwoFollowersReusingOneMsgIdGetDifferentKeys()
    {
        foreach (var key in PerMessage)
        {
            key(new Follower("gh_account", "oA"), "777").ShouldNotBe(key(new Follower("gh_account", "oB"), "777"));
        }
    }

    [Test]
    public void AColonInAFollowerIdCannotMakeItsMessageShareAKeyWithAnotherFollowersMessage()
    {
        var turn = Keys.Turn(new Follower("gh_account", "o:1"), "2");

        turn.ShouldBe("winterai:{gh_account:o%3A1}:turn:2");
        turn.ShouldNotBe(Keys.Turn(new Follower("gh_account", "o"), "1:2"));
        turn.ShouldNotBe(Keys.Turn(new Follower("gh_account", "o%3A1"), "2"));
    }

    [Test]
    public void NoTwoFollowerAndMessagePairsShareAKeyHoweverTheyAreSpelled()
    {
        string[] parts = ["", "o", "1", ":", "::", "%", "%3A", "%253A", "o:1", "o%3A1", "1:2", "\n", "o\n1", "%25"];
        var pairs = (from id in parts from message in parts select (id, message)).ToList();

        foreach (var key in PerMessage)
        {
            pairs.Select(p => key(new Follower("gh_account", p.id), p.message)).Distinct().Count().ShouldBe(pairs.Count);
        }
    }

    [Test]
    public void EveryKeyOfOneFollowerCarriesTheSameHashTagAndNoOtherFollowersTag()
    {
        var follower = new Follower("gh_account", "o{1}");
        string[] followerKeys =
        [
            .. PerMessage.Select(key => key(follower, "777")),
            Keys.Conversation(follower.Account, follower.Id),
            Keys.History(follower.Account, follower.Id),
            Keys.Queue(follower.Account, follower.Id),
            Keys.RunnerLock(follower.Account, follower.Id),
            Keys.Notice(follower.Account, follower.Id),
            Keys.Quota(follower.Account, follower.Id, "day"),
            Keys.Partial(follower, "777"),
        ];

        followerKeys.Select(HashTag).Distinct().ShouldBe(["gh_account:o%7B1%7D"]);
        HashTag(Keys.Turn(new Follower("gh_account", "o"), "1")).ShouldNotBe(HashTag(followerKeys[0]));
        HashTag(Keys.AccessToken("gh_account")).ShouldBe("gh_account");
    }

    /// <summary>What Redis Cluster hashes: the text between the first '{' and the next '}'.</summary>
    private static string HashTag(string key)
    {
        var open = key.IndexOf('{', StringComparison.Ordinal);
        return key[(open + 1)..key.IndexOf('}', open)];
    }
}
