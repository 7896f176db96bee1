package kepu.elasticsearch;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.email.UAX29URLEmailTokenizer;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.miscellaneous.RemoveDuplicatesTokenFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenizer;
import org.apache.lucene.analysis.ngram.NGramTokenFilter;
import org.apache.lucene.analysis.ngram.NGramTokenizer;
import org.apache.lucene.analysis.pattern.PatternCaptureGroupTokenFilter;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.util.SetOnce;
import org.elasticsearch.Build;
import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.cluster.ClusterName;
import org.elasticsearch.cluster.metadata.IndexNameExpressionResolver;
import org.elasticsearch.cluster.node.DiscoveryNodes;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.io.stream.NamedWriteableRegistry;
import org.elasticsearch.common.settings.ClusterSettings;
import org.elasticsearch.common.settings.IndexScopedSettings;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.common.settings.SettingsFilter;
import org.elasticsearch.features.NodeFeature;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.IndexVersion;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.AbstractTokenizerFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.node.Node;
import org.elasticsearch.plugins.ActionPlugin;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestController;
import org.elasticsearch.rest.RestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestResponse;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.xcontent.XContentBuilder;

/**
 * What Elastic's server distribution on Maven Central (integ-test-zip: no analysis-common, no
 * rest-root module) lacks and this project's indexes and clients, or the security module's own
 * .security index (on the secured cluster, cluster.sh), use; see README.md for who uses
 * each part. Everything else (standard tokenizer, lowercase filter, queries, aggregations, aliases,
 * bulk, _cat) comes from the distribution itself.
 */
public class KepuEnginePlugin extends Plugin implements AnalysisPlugin, ActionPlugin {

    // ------------------------------------------------------------------ analysis (analysis-common)
    // One entry per component, under Elastic's name, built from the Lucene class Elastic uses.
    // A component refuses settings it does not implement: the dev node must never analyse
    // differently from production without saying so. Adding one is an entry in these maps.

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        return Map.of(
            "whitespace", tokenizer(Set.of(), (index, s) -> WhitespaceTokenizer::new),
            "ngram", tokenizer(Set.of("min_gram", "max_gram"), (index, s) -> {
                int min = s.getAsInt("min_gram", 1), max = s.getAsInt("max_gram", 2);
                checkNgramDiff(index, min, max);
                return () -> new NGramTokenizer(min, max);
            }),
            // "side" is accepted and ignored, as Elasticsearch 8 does (modelsearch still sends it).
            "edge_ngram", tokenizer(Set.of("min_gram", "max_gram", "side"), (index, s) -> {
                int min = s.getAsInt("min_gram", 1), max = s.getAsInt("max_gram", 2);
                return () -> new EdgeNGramTokenizer(min, max);
            }),
            // The security module's `email` analyzer (.security index: users, API keys).
            "uax_url_email", tokenizer(Set.of("max_token_length"), (index, s) -> {
                int max = s.getAsInt("max_token_length", StandardAnalyzer.DEFAULT_MAX_TOKEN_LENGTH);
                return () -> {
                    UAX29URLEmailTokenizer t = new UAX29URLEmailTokenizer();
                    t.setMaxTokenLength(max);
                    return t;
                };
            })
        );
    }

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
            "asciifolding", filter(Set.of(), (index, s) -> ASCIIFoldingFilter::new),
            "ngram", filter(Set.of("min_gram", "max_gram"), (index, s) -> {
                int min = s.getAsInt("min_gram", 1), max = s.getAsInt("max_gram", 2);
                checkNgramDiff(index, min, max);
                return ts -> new NGramTokenFilter(ts, min, max, false);
            }),
            "edge_ngram", filter(Set.of("min_gram", "max_gram"), (index, s) -> {
                int min = s.getAsInt("min_gram", 1), max = s.getAsInt("max_gram", 2);
                return ts -> new EdgeNGramTokenFilter(ts, min, max, false);
            }),
            // With `unique` and `lowercase`, the filters of the security module's `email` analyzer.
            "pattern_capture", filter(Set.of("patterns", "preserve_original"), (index, s) -> {
                Pattern[] patterns = s.getAsList("patterns").stream().map(Pattern::compile).toArray(Pattern[]::new);
                boolean original = s.getAsBoolean("preserve_original", true);
                return ts -> new PatternCaptureGroupTokenFilter(ts, original, patterns);
            }),
            "unique", filter(Set.of("only_on_same_position"), (index, s) -> {
                boolean samePosition = s.getAsBoolean("only_on_same_position", false);
                return ts -> samePosition ? new RemoveDuplicatesTokenFilter(ts) : new UniqueTokenFilter(ts);
            })
        );
    }

    /** Elastic's `unique` by default: drops a token whose text has been seen anywhere earlier in the stream. */
    static final class UniqueTokenFilter extends TokenFilter {
        private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
        private final CharArraySet seen = new CharArraySet(8, false);

        UniqueTokenFilter(TokenStream in) {
            super(in);
        }

        @Override
        public boolean incrementToken() throws IOException {
            while (input.incrementToken()) {
                if (!seen.contains(term.buffer(), 0, term.length())) {
                    seen.add(term.toString());
                    return true;
                }
            }
            return false;
        }

        @Override
        public void reset() throws IOException {
            super.reset();
            seen.clear();
        }
    }

    private static AnalysisProvider<TokenizerFactory> tokenizer(
        Set<String> keys,
        BiFunction<IndexSettings, Settings, Supplier<Tokenizer>> make
    ) {
        return (index, env, name, s) -> {
            Supplier<Tokenizer> supplier = make.apply(index, supported(name, s, keys));
            return new AbstractTokenizerFactory(index, s, name) {
                @Override
                public Tokenizer create() {
                    return supplier.get();
                }
            };
        };
    }

    private static AnalysisProvider<TokenFilterFactory> filter(
        Set<String> keys,
        BiFunction<IndexSettings, Settings, Function<TokenStream, TokenStream>> make
    ) {
        return (index, env, name, s) -> {
            Function<TokenStream, TokenStream> wrap = make.apply(index, supported(name, s, keys));
            return new AbstractTokenFilterFactory(name, s) {
                @Override
                public TokenStream create(TokenStream ts) {
                    return wrap.apply(ts);
                }
            };
        };
    }

    /** The settings, if every key is one the component implements (a bare name brings index.* keys). */
    private static Settings supported(String name, Settings s, Set<String> keys) {
        for (String key : s.keySet()) {
            if (!keys.contains(key) && !key.equals("type") && !key.startsWith("index.")) {
                throw new IllegalArgumentException("[" + name + "]: setting [" + key + "] is not supported by the dev engine (tools/elasticsearch)");
            }
        }
        return s;
    }

    /** As Elasticsearch: ngram spans wider than index.max_ngram_diff are refused. */
    private static void checkNgramDiff(IndexSettings index, int min, int max) {
        int allowed = index.getMaxNgramDiff();
        if (max - min > allowed) {
            throw new IllegalArgumentException(
                "The difference between max_gram and min_gram must be less than or equal to: [" + allowed + "] but was ["
                    + (max - min) + "]. This limit can be set by changing the [" + IndexSettings.MAX_NGRAM_DIFF_SETTING.getKey()
                    + "] index level setting."
            );
        }
    }

    // ------------------------------------------------------------------ GET / and HEAD / (rest-root)

    private final SetOnce<ClusterService> clusterService = new SetOnce<>();

    @Override
    public Collection<?> createComponents(PluginServices services) {
        clusterService.set(services.clusterService());
        return List.of();
    }

    @Override
    public Collection<RestHandler> getRestHandlers(
        Settings settings,
        NamedWriteableRegistry namedWriteableRegistry,
        RestController restController,
        ClusterSettings clusterSettings,
        IndexScopedSettings indexScopedSettings,
        SettingsFilter settingsFilter,
        IndexNameExpressionResolver indexNameExpressionResolver,
        Supplier<DiscoveryNodes> nodesInCluster,
        Predicate<NodeFeature> clusterSupportsFeature
    ) {
        return List.of(new RootHandler(settings, clusterService::get));
    }

    /** The body of Elastic's RestMainAction: clients' info() reads it, ping() sends HEAD /. */
    static final class RootHandler extends BaseRestHandler {
        private final String nodeName;
        private final String clusterName;
        private final Supplier<ClusterService> clusterService;

        RootHandler(Settings settings, Supplier<ClusterService> clusterService) {
            this.nodeName = Node.NODE_NAME_SETTING.get(settings);
            this.clusterName = ClusterName.CLUSTER_NAME_SETTING.get(settings).value();
            this.clusterService = clusterService;
        }

        @Override
        public String getName() {
            return "kepu_root_action";
        }

        @Override
        public List<Route> routes() {
            return List.of(new Route(RestRequest.Method.GET, "/"), new Route(RestRequest.Method.HEAD, "/"));
        }

        @Override
        public boolean canTripCircuitBreaker() {
            return false;
        }

        @Override
        protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
            return channel -> {
                Build build = Build.current();
                XContentBuilder b = channel.newBuilder();
                b.startObject();
                b.field("name", nodeName);
                b.field("cluster_name", clusterName);
                b.field("cluster_uuid", clusterService.get().state().metadata().clusterUUID());
                b.startObject("version");
                b.field("number", build.qualifiedVersion());
                b.field("build_flavor", build.flavor());
                b.field("build_type", build.type().displayName());
                b.field("build_hash", build.hash());
                b.field("build_date", build.date());
                b.field("build_snapshot", build.isSnapshot());
                b.field("lucene_version", IndexVersion.current().luceneVersion().toString());
                b.field("minimum_wire_compatibility_version", build.minWireCompatVersion());
                b.field("minimum_index_compatibility_version", build.minIndexCompatVersion());
                b.endObject();
                b.field("tagline", "You Know, for Search");
                b.endObject();
                channel.sendResponse(new RestResponse(RestStatus.OK, b));
            };
        }
    }
}
