package kepu.elasticsearch;

import com.ibm.icu.text.FilteredNormalizer2;
import com.ibm.icu.text.Normalizer2;
import com.ibm.icu.text.Transliterator;
import com.ibm.icu.text.UnicodeSet;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.text.ParseException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.CharacterUtils;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.charfilter.HTMLStripCharFilter;
import org.apache.lucene.analysis.charfilter.MappingCharFilter;
import org.apache.lucene.analysis.charfilter.NormalizeCharMap;
import org.apache.lucene.analysis.cjk.CJKAnalyzer;
import org.apache.lucene.analysis.cjk.CJKBigramFilter;
import org.apache.lucene.analysis.cjk.CJKWidthFilter;
import org.apache.lucene.analysis.cn.smart.HMMChineseTokenizer;
import org.apache.lucene.analysis.cn.smart.SmartChineseAnalyzer;
import org.apache.lucene.analysis.core.DecimalDigitFilter;
import org.apache.lucene.analysis.core.FlattenGraphFilter;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.core.LetterTokenizer;
import org.apache.lucene.analysis.core.SimpleAnalyzer;
import org.apache.lucene.analysis.core.StopAnalyzer;
import org.apache.lucene.analysis.core.TypeTokenFilter;
import org.apache.lucene.analysis.core.UpperCaseFilter;
import org.apache.lucene.analysis.core.WhitespaceAnalyzer;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.el.GreekLowerCaseFilter;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishMinimalStemFilter;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.ga.IrishLowerCaseFilter;
import org.apache.lucene.analysis.icu.ICUFoldingFilter;
import org.apache.lucene.analysis.icu.ICUNormalizer2CharFilter;
import org.apache.lucene.analysis.icu.ICUNormalizer2Filter;
import org.apache.lucene.analysis.icu.ICUTransformFilter;
import org.apache.lucene.analysis.icu.segmentation.DefaultICUTokenizerConfig;
import org.apache.lucene.analysis.icu.segmentation.ICUTokenizer;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.miscellaneous.FingerprintFilter;
import org.apache.lucene.analysis.miscellaneous.KeepWordFilter;
import org.apache.lucene.analysis.miscellaneous.LengthFilter;
import org.apache.lucene.analysis.miscellaneous.LimitTokenCountFilter;
import org.apache.lucene.analysis.miscellaneous.RemoveDuplicatesTokenFilter;
import org.apache.lucene.analysis.miscellaneous.SetKeywordMarkerFilter;
import org.apache.lucene.analysis.miscellaneous.TrimFilter;
import org.apache.lucene.analysis.miscellaneous.TruncateTokenFilter;
import org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter;
import org.apache.lucene.analysis.miscellaneous.WordDelimiterIterator;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenizer;
import org.apache.lucene.analysis.ngram.NGramTokenFilter;
import org.apache.lucene.analysis.ngram.NGramTokenizer;
import org.apache.lucene.analysis.path.PathHierarchyTokenizer;
import org.apache.lucene.analysis.pattern.PatternReplaceCharFilter;
import org.apache.lucene.analysis.pattern.PatternReplaceFilter;
import org.apache.lucene.analysis.pattern.PatternTokenizer;
import org.apache.lucene.analysis.reverse.ReverseStringFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.analysis.classic.ClassicFilter;
import org.apache.lucene.analysis.classic.ClassicTokenizer;
import org.apache.lucene.analysis.email.UAX29URLEmailTokenizer;
import org.apache.lucene.analysis.synonym.SolrSynonymParser;
import org.apache.lucene.analysis.synonym.SynonymGraphFilter;
import org.apache.lucene.analysis.synonym.SynonymMap;
import org.apache.lucene.analysis.synonym.WordnetSynonymParser;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.analysis.tr.TurkishLowerCaseFilter;
import org.apache.lucene.analysis.util.CharTokenizer;
import org.apache.lucene.util.CharsRef;
import org.apache.lucene.util.CharsRefBuilder;
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
import org.elasticsearch.env.Environment;
import org.elasticsearch.features.NodeFeature;
import org.elasticsearch.index.IndexService.IndexCreationContext;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.IndexVersion;
import org.elasticsearch.index.analysis.AbstractCharFilterFactory;
import org.elasticsearch.index.analysis.AbstractIndexAnalyzerProvider;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.AbstractTokenizerFactory;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.CustomAnalyzer;
import org.elasticsearch.index.analysis.NormalizingCharFilterFactory;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;
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
 * The parts of a full Elasticsearch 8 distribution that the Maven Central "integ-test-zip"
 * distribution leaves out and this project needs, for a local development / CI node:
 *
 * <ul>
 *   <li>the commonly used analysis components of Elastic's {@code analysis-common} module, under
 *       the same names and settings (tokenizers, token filters, char filters, analyzers);
 *   <li>Chinese analysis: {@code smartcn} / {@code smartcn_tokenizer} / {@code smartcn_stop} (as in
 *       the analysis-smartcn plugin) and {@code icu_tokenizer}, {@code icu_normalizer}, {@code
 *       icu_folding}, {@code icu_transform}, {@code icu_analyzer} (as in analysis-icu);
 *   <li>the root endpoint {@code GET /} and {@code HEAD /} (the {@code rest-root} module), which
 *       clients use for {@code info()} and {@code ping()}.
 * </ul>
 *
 * Everything is built from Lucene classes; behaviour follows Elasticsearch's own factories for the
 * settings that are supported. Not a production build of Elasticsearch.
 */
public class KepuEnginePlugin extends Plugin implements AnalysisPlugin, ActionPlugin {

    private final SetOnce<ClusterService> clusterService = new SetOnce<>();

    @Override
    public Collection<?> createComponents(PluginServices services) {
        clusterService.set(services.clusterService());
        return List.of();
    }

    // ------------------------------------------------------------------ GET / (rest-root)

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
        return List.of(new RootInfoHandler(settings, clusterService::get));
    }

    static final class RootInfoHandler extends BaseRestHandler {
        private final String nodeName;
        private final String clusterName;
        private final Supplier<ClusterService> clusterService;

        RootInfoHandler(Settings settings, Supplier<ClusterService> clusterService) {
            this.nodeName = Node.NODE_NAME_SETTING.get(settings);
            this.clusterName = ClusterName.CLUSTER_NAME_SETTING.get(settings).value();
            this.clusterService = clusterService;
        }

        @Override
        public String getName() {
            return "kepu_root_info_action";
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
                ClusterService cs = clusterService.get();
                String uuid = cs == null ? "_na_" : cs.state().metadata().clusterUUID();
                Build build = Build.current();
                XContentBuilder b = channel.newBuilder();
                b.startObject();
                b.field("name", nodeName);
                b.field("cluster_name", clusterName);
                b.field("cluster_uuid", uuid);
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

    // ------------------------------------------------------------------ analysis registry

    /** A provider that needs no settings, so the component is also available by its bare name. */
    private static <T> AnalysisProvider<T> p(AnalysisProvider<T> provider) {
        return provider;
    }

    /** A provider that only makes sense with settings (not instantiated by bare name). */
    private static <T> AnalysisProvider<T> needsSettings(AnalysisProvider<T> provider) {
        return AnalysisPlugin.requiresAnalysisSettings(provider);
    }

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        Map<String, AnalysisProvider<TokenizerFactory>> m = new TreeMap<>();
        m.put("whitespace", p((is, env, name, s) -> {
            int max = s.getAsInt("max_token_length", CharTokenizer.DEFAULT_MAX_WORD_LEN);
            return tokenizer(is, s, name, () -> new WhitespaceTokenizer(max));
        }));
        m.put("keyword", p((is, env, name, s) -> tokenizer(is, s, name, KeywordTokenizer::new)));
        m.put("letter", p((is, env, name, s) -> tokenizer(is, s, name, LetterTokenizer::new)));
        m.put("lowercase", p((is, env, name, s) -> tokenizer(is, s, name, LowerCaseTokenizer::new)));
        m.put("classic", p((is, env, name, s) -> {
            int max = s.getAsInt("max_token_length", 255);
            return tokenizer(is, s, name, () -> {
                ClassicTokenizer t = new ClassicTokenizer();
                t.setMaxTokenLength(max);
                return t;
            });
        }));
        m.put("uax_url_email", p((is, env, name, s) -> {
            int max = s.getAsInt("max_token_length", 255);
            return tokenizer(is, s, name, () -> {
                UAX29URLEmailTokenizer t = new UAX29URLEmailTokenizer();
                t.setMaxTokenLength(max);
                return t;
            });
        }));
        m.put("ngram", p((is, env, name, s) -> {
            int min = s.getAsInt("min_gram", NGramTokenizer.DEFAULT_MIN_NGRAM_SIZE);
            int max = s.getAsInt("max_gram", NGramTokenizer.DEFAULT_MAX_NGRAM_SIZE);
            checkNgramDiff(is, min, max, "NGram Tokenizer");
            IntPredicate tokenChars = tokenChars(s);
            return tokenizer(is, s, name, () -> tokenChars == null ? new NGramTokenizer(min, max) : new NGramTokenizer(min, max) {
                @Override
                protected boolean isTokenChar(int chr) {
                    return tokenChars.test(chr);
                }
            });
        }));
        m.put("edge_ngram", p((is, env, name, s) -> {
            int min = s.getAsInt("min_gram", NGramTokenizer.DEFAULT_MIN_NGRAM_SIZE);
            int max = s.getAsInt("max_gram", NGramTokenizer.DEFAULT_MAX_NGRAM_SIZE);
            IntPredicate tokenChars = tokenChars(s);
            return tokenizer(is, s, name, () -> tokenChars == null ? new EdgeNGramTokenizer(min, max) : new EdgeNGramTokenizer(min, max) {
                @Override
                protected boolean isTokenChar(int chr) {
                    return tokenChars.test(chr);
                }
            });
        }));
        m.put("pattern", p((is, env, name, s) -> {
            Pattern pattern = Pattern.compile(s.get("pattern", "\\W+"), regexFlags(s.get("flags")));
            int group = s.getAsInt("group", -1);
            return tokenizer(is, s, name, () -> new PatternTokenizer(pattern, group));
        }));
        m.put("char_group", p((is, env, name, s) -> {
            IntPredicate split = charGroup(s.getAsList("tokenize_on_chars"));
            int max = s.getAsInt("max_token_length", CharTokenizer.DEFAULT_MAX_WORD_LEN);
            return tokenizer(is, s, name, () -> new CharTokenizer(org.apache.lucene.util.AttributeFactory.DEFAULT_ATTRIBUTE_FACTORY, max) {
                @Override
                protected boolean isTokenChar(int c) {
                    return split.test(c) == false;
                }
            });
        }));
        m.put("path_hierarchy", p((is, env, name, s) -> {
            char delimiter = singleChar(s.get("delimiter"), '/', "delimiter");
            char replacement = singleChar(s.get("replacement"), delimiter, "replacement");
            int skip = s.getAsInt("skip", 0);
            int bufferSize = s.getAsInt("buffer_size", 1024);
            boolean reverse = s.getAsBoolean("reverse", false);
            return tokenizer(is, s, name, () -> reverse
                ? new org.apache.lucene.analysis.path.ReversePathHierarchyTokenizer(bufferSize, delimiter, replacement, skip)
                : new PathHierarchyTokenizer(bufferSize, delimiter, replacement, skip));
        }));
        // analysis-smartcn / analysis-icu
        m.put("smartcn_tokenizer", p((is, env, name, s) -> tokenizer(is, s, name, HMMChineseTokenizer::new)));
        m.put("icu_tokenizer", p((is, env, name, s) -> tokenizer(is, s, name, () -> new ICUTokenizer(new DefaultICUTokenizerConfig(true, true)))));
        return m;
    }

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        Map<String, AnalysisProvider<TokenFilterFactory>> m = new TreeMap<>();
        m.put("lowercase", p((is, env, name, s) -> {
            String lang = s.get("language");
            if (lang == null) return normalizing(name, s, LowerCaseFilter::new);
            return switch (lang.toLowerCase(Locale.ROOT)) {
                case "greek" -> normalizing(name, s, GreekLowerCaseFilter::new);
                case "irish" -> normalizing(name, s, IrishLowerCaseFilter::new);
                case "turkish" -> normalizing(name, s, TurkishLowerCaseFilter::new);
                default -> throw new IllegalArgumentException("language [" + lang + "] not support for lower case");
            };
        }));
        m.put("uppercase", p((is, env, name, s) -> normalizing(name, s, UpperCaseFilter::new)));
        m.put("asciifolding", p((is, env, name, s) -> {
            boolean preserve = s.getAsBoolean("preserve_original", false);
            return new NormalizingFilter(name, s, ts -> new ASCIIFoldingFilter(ts, preserve)) {
                @Override
                public TokenStream normalize(TokenStream ts) {
                    return new ASCIIFoldingFilter(ts, false);
                }
            };
        }));
        m.put("cjk_width", p((is, env, name, s) -> normalizing(name, s, CJKWidthFilter::new)));
        m.put("decimal_digit", p((is, env, name, s) -> normalizing(name, s, DecimalDigitFilter::new)));
        m.put("cjk_bigram", p((is, env, name, s) -> {
            int flags = 0;
            List<String> ignored = s.getAsList("ignored_scripts");
            if (ignored.contains("han") == false) flags |= CJKBigramFilter.HAN;
            if (ignored.contains("hiragana") == false) flags |= CJKBigramFilter.HIRAGANA;
            if (ignored.contains("katakana") == false) flags |= CJKBigramFilter.KATAKANA;
            if (ignored.contains("hangul") == false) flags |= CJKBigramFilter.HANGUL;
            boolean unigrams = s.getAsBoolean("output_unigrams", false);
            int f = flags;
            return new Filter(name, s, ts -> new CJKBigramFilter(ts, f, unigrams)) {
                @Override
                public TokenFilterFactory getSynonymFilter() {
                    if (unigrams) {
                        throw new IllegalArgumentException("Token filter [" + name() + "] cannot be used to parse synonyms unless [output_unigrams] is set to false");
                    }
                    return this;
                }
            };
        }));
        m.put("ngram", p((is, env, name, s) -> {
            int min = s.getAsInt("min_gram", 1);
            int max = s.getAsInt("max_gram", 2);
            boolean preserve = s.getAsBoolean("preserve_original", false);
            checkNgramDiff(is, min, max, "NGram Token Filter");
            return noSynonyms(name, s, ts -> new NGramTokenFilter(ts, min, max, preserve));
        }));
        m.put("edge_ngram", p((is, env, name, s) -> {
            int min = s.getAsInt("min_gram", 1);
            int max = s.getAsInt("max_gram", 2);
            boolean preserve = s.getAsBoolean("preserve_original", false);
            boolean back = "back".equalsIgnoreCase(s.get("side", "front"));
            return noSynonyms(name, s, ts -> back
                ? new ReverseStringFilter(new EdgeNGramTokenFilter(new ReverseStringFilter(ts), min, max, preserve))
                : new EdgeNGramTokenFilter(ts, min, max, preserve));
        }));
        m.put("synonym", needsSettings((is, env, name, s) -> new SynonymFactory(env, name, s, false)));
        m.put("synonym_graph", needsSettings((is, env, name, s) -> new SynonymFactory(env, name, s, true)));
        m.put("flatten_graph", p((is, env, name, s) -> filter(name, s, FlattenGraphFilter::new)));
        m.put("trim", p((is, env, name, s) -> normalizing(name, s, TrimFilter::new)));
        m.put("truncate", p((is, env, name, s) -> {
            int length = s.getAsInt("length", 10);
            if (length <= 0) throw new IllegalArgumentException("length parameter must be provided");
            return filter(name, s, ts -> new TruncateTokenFilter(ts, length));
        }));
        m.put("length", p((is, env, name, s) -> {
            int min = s.getAsInt("min", 0);
            int max = s.getAsInt("max", Integer.MAX_VALUE);
            return filter(name, s, ts -> new LengthFilter(ts, min, max));
        }));
        m.put("limit", p((is, env, name, s) -> {
            int count = s.getAsInt("max_token_count", 1);
            boolean all = s.getAsBoolean("consume_all_tokens", false);
            return filter(name, s, ts -> new LimitTokenCountFilter(ts, count, all));
        }));
        m.put("unique", p((is, env, name, s) -> {
            boolean samePos = s.getAsBoolean("only_on_same_position", false);
            return filter(name, s, ts -> new UniqueTokenFilter(ts, samePos));
        }));
        m.put("remove_duplicates", p((is, env, name, s) -> filter(name, s, RemoveDuplicatesTokenFilter::new)));
        m.put("reverse", p((is, env, name, s) -> filter(name, s, ReverseStringFilter::new)));
        m.put("classic", p((is, env, name, s) -> filter(name, s, ClassicFilter::new)));
        m.put("apostrophe", p((is, env, name, s) -> filter(name, s, org.apache.lucene.analysis.tr.ApostropheFilter::new)));
        m.put("porter_stem", p((is, env, name, s) -> filter(name, s, PorterStemFilter::new)));
        m.put("kstem", p((is, env, name, s) -> filter(name, s, KStemFilter::new)));
        m.put("stemmer", p((is, env, name, s) -> {
            String lang = s.get("language", s.get("name", "porter")).toLowerCase(Locale.ROOT);
            return switch (lang) {
                case "english", "porter" -> filter(name, s, PorterStemFilter::new);
                case "light_english", "kstem" -> filter(name, s, KStemFilter::new);
                case "minimal_english" -> filter(name, s, EnglishMinimalStemFilter::new);
                case "possessive_english" -> filter(name, s, EnglishPossessiveFilter::new);
                case "porter2" -> filter(name, s, ts -> new SnowballFilter(ts, new org.tartarus.snowball.ext.EnglishStemmer()));
                default -> {
                    String snowball = snowballName(lang);
                    yield filter(name, s, ts -> new SnowballFilter(ts, snowball));
                }
            };
        }));
        m.put("snowball", p((is, env, name, s) -> {
            String snowball = snowballName(s.get("language", "English"));
            CharArraySet exclusion = Analysis.parseStemExclusion(s, CharArraySet.EMPTY_SET);
            return filter(name, s, ts -> new SnowballFilter(exclusion.isEmpty() ? ts : new SetKeywordMarkerFilter(ts, exclusion), snowball));
        }));
        m.put("keyword_marker", needsSettings((is, env, name, s) -> {
            boolean ignoreCase = s.getAsBoolean("ignore_case", false);
            String patternText = s.get("keywords_pattern");
            if (patternText != null) {
                Pattern pattern = Pattern.compile(patternText);
                return filter(name, s, ts -> new org.apache.lucene.analysis.miscellaneous.PatternKeywordMarkerFilter(ts, pattern));
            }
            CharArraySet words = wordSet(env, s, "keywords", ignoreCase);
            return filter(name, s, ts -> new SetKeywordMarkerFilter(ts, words));
        }));
        m.put("keep", needsSettings((is, env, name, s) -> {
            CharArraySet words = wordSet(env, s, "keep_words", s.getAsBoolean("keep_words_case", false));
            return filter(name, s, ts -> new KeepWordFilter(ts, words));
        }));
        m.put("keep_types", needsSettings((is, env, name, s) -> {
            Set<String> types = new HashSet<>(s.getAsList("types"));
            boolean include = "include".equalsIgnoreCase(s.get("mode", "include"));
            return filter(name, s, ts -> new TypeTokenFilter(ts, types, include));
        }));
        m.put("pattern_replace", needsSettings((is, env, name, s) -> {
            String patternText = s.get("pattern");
            if (patternText == null) throw new IllegalArgumentException("pattern is missing for [" + name + "] token filter of type 'pattern_replace'");
            Pattern pattern = Pattern.compile(patternText, regexFlags(s.get("flags")));
            String replacement = s.get("replacement", "");
            boolean all = s.getAsBoolean("all", true);
            return normalizing(name, s, ts -> new PatternReplaceFilter(ts, pattern, replacement, all));
        }));
        m.put("fingerprint", p((is, env, name, s) -> {
            String sep = s.get("separator", " ");
            int max = s.getAsInt("max_output_size", 255);
            return noSynonyms(name, s, ts -> new FingerprintFilter(ts, max, sep.charAt(0)));
        }));
        m.put("word_delimiter_graph", p((is, env, name, s) -> wordDelimiter(env, name, s, true)));
        m.put("word_delimiter", p((is, env, name, s) -> wordDelimiter(env, name, s, false)));
        // analysis-smartcn / analysis-icu
        m.put("smartcn_stop", p((is, env, name, s) -> {
            CharArraySet stop = Analysis.parseStopWords(env, s, SmartChineseAnalyzer.getDefaultStopSet());
            return filter(name, s, ts -> new StopFilter(ts, stop));
        }));
        m.put("icu_normalizer", p((is, env, name, s) -> {
            Normalizer2 n = icuNormalizer(s);
            return normalizing(name, s, ts -> new ICUNormalizer2Filter(ts, n));
        }));
        m.put("icu_folding", p((is, env, name, s) -> {
            String set = s.get("unicode_set_filter", s.get("unicodeSetFilter"));
            Normalizer2 n = set == null ? ICUFoldingFilter.NORMALIZER : new FilteredNormalizer2(ICUFoldingFilter.NORMALIZER, new UnicodeSet(set).freeze());
            return normalizing(name, s, ts -> new ICUFoldingFilter(ts, n));
        }));
        m.put("icu_transform", p((is, env, name, s) -> {
            String id = s.get("id", "Null");
            int dir = "reverse".equalsIgnoreCase(s.get("dir", "forward")) ? Transliterator.REVERSE : Transliterator.FORWARD;
            Transliterator t = Transliterator.getInstance(id, dir);
            return normalizing(name, s, ts -> new ICUTransformFilter(ts, t));
        }));
        return m;
    }

    @Override
    public Map<String, AnalysisProvider<CharFilterFactory>> getCharFilters() {
        Map<String, AnalysisProvider<CharFilterFactory>> m = new TreeMap<>();
        m.put("html_strip", p((is, env, name, s) -> {
            Set<String> escaped = new HashSet<>(s.getAsList("escaped_tags"));
            return new AbstractCharFilterFactory(name) {
                @Override
                public Reader create(Reader r) {
                    return escaped.isEmpty() ? new HTMLStripCharFilter(r) : new HTMLStripCharFilter(r, escaped);
                }
            };
        }));
        m.put("mapping", needsSettings((is, env, name, s) -> {
            List<String> rules = Analysis.getWordList(env, s, "mappings");
            if (rules == null) throw new IllegalArgumentException("mapping requires either `mappings` or `mappings_path` to be configured");
            NormalizeCharMap map = parseMappings(rules);
            return normalizingChar(name, r -> new MappingCharFilter(map, r));
        }));
        m.put("pattern_replace", needsSettings((is, env, name, s) -> {
            String patternText = s.get("pattern");
            if (patternText == null) throw new IllegalArgumentException("pattern is missing for [" + name + "] char filter of type 'pattern_replace'");
            Pattern pattern = Pattern.compile(patternText, regexFlags(s.get("flags")));
            String replacement = s.get("replacement", "");
            return normalizingChar(name, r -> new PatternReplaceCharFilter(pattern, replacement, r));
        }));
        m.put("icu_normalizer", p((is, env, name, s) -> {
            Normalizer2 n = icuNormalizer(s);
            return normalizingChar(name, r -> new ICUNormalizer2CharFilter(r, n));
        }));
        return m;
    }

    @Override
    public Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> getAnalyzers() {
        Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> m = new TreeMap<>();
        m.put("whitespace", p((is, env, name, s) -> analyzer(name, s, new WhitespaceAnalyzer())));
        m.put("simple", p((is, env, name, s) -> analyzer(name, s, new SimpleAnalyzer())));
        m.put("keyword", p((is, env, name, s) -> analyzer(name, s, new KeywordAnalyzer())));
        m.put("stop", p((is, env, name, s) -> analyzer(name, s, new StopAnalyzer(Analysis.parseStopWords(env, s, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET)))));
        m.put("english", p((is, env, name, s) -> analyzer(name, s, new EnglishAnalyzer(
            Analysis.parseStopWords(env, s, EnglishAnalyzer.getDefaultStopSet()),
            Analysis.parseStemExclusion(s, CharArraySet.EMPTY_SET)))));
        m.put("cjk", p((is, env, name, s) -> analyzer(name, s, new CJKAnalyzer(Analysis.parseStopWords(env, s, CJKAnalyzer.getDefaultStopSet())))));
        m.put("smartcn", p((is, env, name, s) -> analyzer(name, s, new SmartChineseAnalyzer())));
        m.put("icu_analyzer", p((is, env, name, s) -> {
            Normalizer2 n = icuNormalizer(s);
            return analyzer(name, s, new Analyzer() {
                @Override
                protected TokenStreamComponents createComponents(String field) {
                    Tokenizer t = new ICUTokenizer(new DefaultICUTokenizerConfig(true, true));
                    return new TokenStreamComponents(t, new ICUFoldingFilter(t));
                }

                @Override
                protected Reader initReader(String field, Reader reader) {
                    return new ICUNormalizer2CharFilter(reader, n);
                }
            });
        }));
        return m;
    }

    // ------------------------------------------------------------------ factories

    private static TokenizerFactory tokenizer(IndexSettings is, Settings s, String name, Supplier<Tokenizer> supplier) {
        return new AbstractTokenizerFactory(is, s, name) {
            @Override
            public Tokenizer create() {
                return supplier.get();
            }
        };
    }

    static class Filter extends AbstractTokenFilterFactory {
        private final Function<TokenStream, TokenStream> fn;

        Filter(String name, Settings settings, Function<TokenStream, TokenStream> fn) {
            super(name, settings);
            this.fn = fn;
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return fn.apply(ts);
        }
    }

    /** Also applied to keyword / normalizer fields and multi-term queries (wildcards, prefixes). */
    static class NormalizingFilter extends Filter implements NormalizingTokenFilterFactory {
        NormalizingFilter(String name, Settings settings, Function<TokenStream, TokenStream> fn) {
            super(name, settings, fn);
        }
    }

    private static TokenFilterFactory filter(String name, Settings s, Function<TokenStream, TokenStream> fn) {
        return new Filter(name, s, fn);
    }

    private static TokenFilterFactory normalizing(String name, Settings s, Function<TokenStream, TokenStream> fn) {
        return new NormalizingFilter(name, s, fn);
    }

    /** Filters that Elasticsearch refuses in a synonym-parsing chain (ngram, word_delimiter, ...). */
    private static TokenFilterFactory noSynonyms(String name, Settings s, Function<TokenStream, TokenStream> fn) {
        return new Filter(name, s, fn) {
            @Override
            public TokenFilterFactory getSynonymFilter() {
                throw new IllegalArgumentException("Token filter [" + name() + "] cannot be used to parse synonyms");
            }
        };
    }

    private static CharFilterFactory normalizingChar(String name, Function<Reader, Reader> fn) {
        final class F extends AbstractCharFilterFactory implements NormalizingCharFilterFactory {
            F() {
                super(name);
            }

            @Override
            public Reader create(Reader r) {
                return fn.apply(r);
            }
        }
        return new F();
    }

    private static <A extends Analyzer> AnalyzerProvider<A> analyzer(String name, Settings s, A analyzer) {
        return new AbstractIndexAnalyzerProvider<A>(name, s) {
            @Override
            public A get() {
                return analyzer;
            }
        };
    }

    private static TokenFilterFactory wordDelimiter(Environment env, String name, Settings s, boolean graph) {
        int flags = 0;
        flags |= flag(s, "generate_word_parts", true, WordDelimiterGraphFilter.GENERATE_WORD_PARTS);
        flags |= flag(s, "generate_number_parts", true, WordDelimiterGraphFilter.GENERATE_NUMBER_PARTS);
        flags |= flag(s, "catenate_words", false, WordDelimiterGraphFilter.CATENATE_WORDS);
        flags |= flag(s, "catenate_numbers", false, WordDelimiterGraphFilter.CATENATE_NUMBERS);
        flags |= flag(s, "catenate_all", false, WordDelimiterGraphFilter.CATENATE_ALL);
        flags |= flag(s, "split_on_case_change", true, WordDelimiterGraphFilter.SPLIT_ON_CASE_CHANGE);
        flags |= flag(s, "preserve_original", false, WordDelimiterGraphFilter.PRESERVE_ORIGINAL);
        flags |= flag(s, "split_on_numerics", true, WordDelimiterGraphFilter.SPLIT_ON_NUMERICS);
        flags |= flag(s, "stem_english_possessive", true, WordDelimiterGraphFilter.STEM_ENGLISH_POSSESSIVE);
        List<String> protWords = Analysis.getWordList(env, s, "protected_words");
        CharArraySet prot = protWords == null ? null : new CharArraySet(protWords, false);
        boolean adjustOffsets = s.getAsBoolean("adjust_offsets", true);
        int f = flags;
        byte[] table = WordDelimiterIterator.DEFAULT_WORD_DELIM_TABLE;
        return noSynonyms(name, s, ts -> graph
            ? new WordDelimiterGraphFilter(ts, adjustOffsets, table, f, prot)
            : new org.apache.lucene.analysis.miscellaneous.WordDelimiterFilter(ts, table, f, prot));
    }

    private static int flag(Settings s, String key, boolean def, int flag) {
        return s.getAsBoolean(key, def) ? flag : 0;
    }

    // ------------------------------------------------------------------ synonyms

    /**
     * synonym / synonym_graph: rules from {@code synonyms} (inline) or {@code synonyms_path} (file
     * under the config directory), solr or wordnet format, {@code expand}, {@code lenient}. The rules
     * are analysed with the tokenizer and filters that precede this filter in the analyzer, as in
     * Elasticsearch. (The synonyms-set API, {@code synonyms_set}, is not available here.)
     */
    static final class SynonymFactory extends AbstractTokenFilterFactory {
        private final Environment env;
        private final Settings settings;
        private final boolean graph;
        private final boolean expand;
        private final boolean lenient;
        private final String format;

        SynonymFactory(Environment env, String name, Settings settings, boolean graph) {
            super(name, settings);
            this.env = env;
            this.settings = settings;
            this.graph = graph;
            this.expand = settings.getAsBoolean("expand", true);
            this.lenient = settings.getAsBoolean("lenient", false);
            this.format = settings.get("format", "");
            if (settings.get("synonyms_set") != null) {
                throw new IllegalArgumentException("[synonyms_set] is not supported by the local dev engine; use [synonyms] or [synonyms_path]");
            }
            if (settings.get("synonyms") == null && settings.getAsList("synonyms").isEmpty() && settings.get("synonyms_path") == null) {
                throw new IllegalArgumentException("synonym requires either `synonyms`, `synonyms_set` or `synonyms_path` to be configured");
            }
        }

        @Override
        public TokenStream create(TokenStream ts) {
            throw new IllegalStateException("Call getChainAwareTokenFilterFactory to specialize this factory for an analysis chain first");
        }

        @Override
        public TokenFilterFactory getChainAwareTokenFilterFactory(
            IndexCreationContext context,
            TokenizerFactory tokenizer,
            List<CharFilterFactory> charFilters,
            List<TokenFilterFactory> previousTokenFilters,
            Function<String, TokenFilterFactory> allFilters
        ) {
            TokenFilterFactory[] previous = previousTokenFilters.stream().map(TokenFilterFactory::getSynonymFilter).toArray(TokenFilterFactory[]::new);
            Analyzer analyzer = new CustomAnalyzer(tokenizer, charFilters.toArray(new CharFilterFactory[0]), previous);
            SynonymMap map = buildSynonyms(analyzer);
            String name = name();
            boolean isGraph = graph;
            return new TokenFilterFactory() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                @SuppressWarnings("deprecation")
                public TokenStream create(TokenStream ts) {
                    if (map.fst == null) return ts;
                    return isGraph ? new SynonymGraphFilter(ts, map, false) : new org.apache.lucene.analysis.synonym.SynonymFilter(ts, map, false);
                }

                @Override
                public TokenFilterFactory getSynonymFilter() {
                    return IDENTITY_FILTER;
                }
            };
        }

        private SynonymMap buildSynonyms(Analyzer analyzer) {
            List<String> rules = Analysis.getWordList(env, settings, "synonyms");
            String text = rules == null ? "" : String.join("\n", rules);
            try {
                SynonymMap.Parser parser = "wordnet".equalsIgnoreCase(format)
                    ? new LenientWordnetParser(expand, lenient, analyzer)
                    : new LenientSolrParser(expand, lenient, analyzer);
                parser.parse(new StringReader(text));
                return parser.build();
            } catch (IOException | ParseException | RuntimeException e) {
                throw new IllegalArgumentException("failed to build synonyms: " + e.getMessage(), e);
            }
        }
    }

    static final class LenientSolrParser extends SolrSynonymParser {
        private final boolean lenient;

        LenientSolrParser(boolean expand, boolean lenient, Analyzer analyzer) {
            super(true, expand, analyzer);
            this.lenient = lenient;
        }

        @Override
        public void add(CharsRef input, CharsRef output, boolean includeOrig) {
            if (lenient == false || (input.length > 0 && output.length > 0)) super.add(input, output, includeOrig);
        }

        @Override
        public CharsRef analyze(String text, CharsRefBuilder reuse) throws IOException {
            try {
                return super.analyze(text, reuse);
            } catch (IllegalArgumentException e) {
                if (lenient) return new CharsRef("");
                throw e;
            }
        }
    }

    static final class LenientWordnetParser extends WordnetSynonymParser {
        private final boolean lenient;

        LenientWordnetParser(boolean expand, boolean lenient, Analyzer analyzer) {
            super(true, expand, analyzer);
            this.lenient = lenient;
        }

        @Override
        public void add(CharsRef input, CharsRef output, boolean includeOrig) {
            if (lenient == false || (input.length > 0 && output.length > 0)) super.add(input, output, includeOrig);
        }

        @Override
        public CharsRef analyze(String text, CharsRefBuilder reuse) throws IOException {
            try {
                return super.analyze(text, reuse);
            } catch (IllegalArgumentException e) {
                if (lenient) return new CharsRef("");
                throw e;
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void checkNgramDiff(IndexSettings is, int min, int max, String what) {
        int allowed = is == null ? 1 : is.getMaxNgramDiff();
        int diff = max - min;
        if (diff > allowed) {
            throw new IllegalArgumentException(
                "The difference between max_gram and min_gram in " + what + " must be less than or equal to: [" + allowed + "] but was ["
                    + diff + "]. This limit can be set by changing the [" + IndexSettings.MAX_NGRAM_DIFF_SETTING.getKey() + "] index level setting."
            );
        }
    }

    /** {@code token_chars} of the ngram tokenizers; null means "every character". */
    private static IntPredicate tokenChars(Settings s) {
        List<String> classes = s.getAsList("token_chars");
        if (classes.isEmpty()) return null;
        String custom = s.get("custom_token_chars", "");
        IntPredicate result = c -> false;
        for (String cls : classes) {
            IntPredicate next = switch (cls.toLowerCase(Locale.ROOT)) {
                case "letter" -> Character::isLetter;
                case "digit" -> Character::isDigit;
                case "whitespace" -> Character::isWhitespace;
                case "punctuation" -> KepuEnginePlugin::isPunctuation;
                case "symbol" -> KepuEnginePlugin::isSymbol;
                case "custom" -> c -> custom.indexOf(c) >= 0;
                default -> throw new IllegalArgumentException("Unknown token type: '" + cls + "', must be one of [letter, digit, whitespace, punctuation, symbol, custom]");
            };
            result = result.or(next);
        }
        return result;
    }

    private static IntPredicate charGroup(List<String> entries) {
        IntPredicate result = c -> false;
        for (String e : entries) {
            IntPredicate next;
            if (e.length() == 1) {
                int ch = e.charAt(0);
                next = c -> c == ch;
            } else if (e.startsWith("\\")) {
                int ch = switch (e) {
                    case "\\n" -> '\n';
                    case "\\r" -> '\r';
                    case "\\t" -> '\t';
                    case "\\f" -> '\f';
                    case "\\\\" -> '\\';
                    default -> e.startsWith("\\u") ? Integer.parseInt(e.substring(2), 16) : fail("Invalid escaped char in [" + e + "]");
                };
                next = c -> c == ch;
            } else {
                next = switch (e) {
                    case "letter" -> Character::isLetter;
                    case "digit" -> Character::isDigit;
                    case "whitespace" -> Character::isWhitespace;
                    case "punctuation" -> KepuEnginePlugin::isPunctuation;
                    case "symbol" -> KepuEnginePlugin::isSymbol;
                    default -> throw new IllegalArgumentException("Invalid token type: '" + e + "'");
                };
            }
            result = result.or(next);
        }
        return result;
    }

    private static int fail(String message) {
        throw new IllegalArgumentException(message);
    }

    private static boolean isPunctuation(int c) {
        return switch (Character.getType(c)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
                Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    private static boolean isSymbol(int c) {
        return switch (Character.getType(c)) {
            case Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
            default -> false;
        };
    }

    private static int regexFlags(String flags) {
        if (flags == null || flags.isBlank()) return 0;
        int result = 0;
        for (String f : flags.split("\\|")) {
            result |= switch (f.trim().toUpperCase(Locale.ROOT)) {
                case "CASE_INSENSITIVE" -> Pattern.CASE_INSENSITIVE;
                case "MULTILINE" -> Pattern.MULTILINE;
                case "DOTALL" -> Pattern.DOTALL;
                case "UNICODE_CASE" -> Pattern.UNICODE_CASE;
                case "CANON_EQ" -> Pattern.CANON_EQ;
                case "UNIX_LINES" -> Pattern.UNIX_LINES;
                case "LITERAL" -> Pattern.LITERAL;
                case "COMMENTS" -> Pattern.COMMENTS;
                case "UNICODE_CHARACTER_CLASS" -> Pattern.UNICODE_CHARACTER_CLASS;
                default -> throw new IllegalArgumentException("Unknown regex flag [" + f + "]");
            };
        }
        return result;
    }

    private static char singleChar(String value, char def, String key) {
        if (value == null) return def;
        if (value.length() != 1) throw new IllegalArgumentException("[" + key + "] must be a single character");
        return value.charAt(0);
    }

    private static String snowballName(String language) {
        String l = language.trim();
        return Character.toUpperCase(l.charAt(0)) + l.substring(1).toLowerCase(Locale.ROOT);
    }

    private static CharArraySet wordSet(Environment env, Settings s, String prefix, boolean ignoreCase) {
        List<String> words = Analysis.getWordList(env, s, prefix);
        if (words == null) throw new IllegalArgumentException("[" + prefix + "] or [" + prefix + "_path] must be configured");
        return new CharArraySet(words, ignoreCase);
    }

    private static Normalizer2 icuNormalizer(Settings s) {
        String name = s.get("name", "nfkc_cf");
        String mode = s.get("mode", "compose");
        Normalizer2 n = Normalizer2.getInstance(null, name, "decompose".equals(mode) ? Normalizer2.Mode.DECOMPOSE : Normalizer2.Mode.COMPOSE);
        String set = s.get("unicode_set_filter", s.get("unicodeSetFilter"));
        return set == null ? n : new FilteredNormalizer2(n, new UnicodeSet(set).freeze());
    }

    /** {@code "a => b"} rules of the mapping char filter, with the usual escapes. */
    private static NormalizeCharMap parseMappings(List<String> rules) {
        NormalizeCharMap.Builder builder = new NormalizeCharMap.Builder();
        for (String rule : rules) {
            int arrow = rule.indexOf("=>");
            if (arrow < 0) throw new IllegalArgumentException("Invalid mapping rule : [" + rule + "]");
            String lhs = unescape(rule.substring(0, arrow).trim());
            String rhs = unescape(rule.substring(arrow + 2).trim());
            if (lhs.isEmpty()) throw new IllegalArgumentException("Invalid mapping rule: [" + rule + "]. Expected at least one character before =>");
            builder.add(lhs, rhs);
        }
        return builder.build();
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                switch (n) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        if (i + 4 >= s.length()) throw new IllegalArgumentException("Invalid escaped char in [" + s + "]");
                        out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                        i += 4;
                    }
                    default -> out.append(n);
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    // ------------------------------------------------------------------ token streams

    /** Letters only, lowercased (Lucene 9 dropped its LowerCaseTokenizer; this is the same logic). */
    static final class LowerCaseTokenizer extends Tokenizer {
        private static final int MAX_TOKEN_LEN = CharTokenizer.DEFAULT_MAX_WORD_LEN;
        private final CharTermAttribute termAtt = addAttribute(CharTermAttribute.class);
        private final OffsetAttribute offsetAtt = addAttribute(OffsetAttribute.class);
        private final CharacterUtils.CharacterBuffer ioBuffer = CharacterUtils.newCharacterBuffer(4096);
        private int offset = 0;
        private int bufferIndex = 0;
        private int dataLen = 0;
        private int finalOffset = 0;

        @Override
        public boolean incrementToken() throws IOException {
            clearAttributes();
            int length = 0;
            int start = -1;
            int end = -1;
            char[] buffer = termAtt.buffer();
            while (true) {
                if (bufferIndex >= dataLen) {
                    offset += dataLen;
                    CharacterUtils.fill(ioBuffer, input);
                    if (ioBuffer.getLength() == 0) {
                        dataLen = 0;
                        if (length > 0) break;
                        finalOffset = correctOffset(offset);
                        return false;
                    }
                    dataLen = ioBuffer.getLength();
                    bufferIndex = 0;
                }
                int c = Character.codePointAt(ioBuffer.getBuffer(), bufferIndex, ioBuffer.getLength());
                int charCount = Character.charCount(c);
                bufferIndex += charCount;
                if (Character.isLetter(c)) {
                    if (length == 0) {
                        start = offset + bufferIndex - charCount;
                        end = start;
                    } else if (length >= buffer.length - 1) {
                        buffer = termAtt.resizeBuffer(2 + length);
                    }
                    end += charCount;
                    length += Character.toChars(Character.toLowerCase(c), buffer, length);
                    if (length >= MAX_TOKEN_LEN) break;
                } else if (length > 0) {
                    break;
                }
            }
            termAtt.setLength(length);
            offsetAtt.setOffset(correctOffset(start), finalOffset = correctOffset(end));
            return true;
        }

        @Override
        public void end() throws IOException {
            super.end();
            offsetAtt.setOffset(finalOffset, finalOffset);
        }

        @Override
        public void reset() throws IOException {
            super.reset();
            bufferIndex = 0;
            offset = 0;
            dataLen = 0;
            finalOffset = 0;
            ioBuffer.reset();
        }
    }

    /** Elasticsearch's "unique" filter: drops repeated terms (optionally only at the same position). */
    static final class UniqueTokenFilter extends TokenFilter {
        private final CharTermAttribute termAtt = addAttribute(CharTermAttribute.class);
        private final PositionIncrementAttribute posIncAtt = addAttribute(PositionIncrementAttribute.class);
        private final CharArraySet previous = new CharArraySet(8, false);
        private final boolean onlyOnSamePosition;

        UniqueTokenFilter(TokenStream in, boolean onlyOnSamePosition) {
            super(in);
            this.onlyOnSamePosition = onlyOnSamePosition;
        }

        @Override
        public boolean incrementToken() throws IOException {
            while (input.incrementToken()) {
                char[] term = termAtt.buffer();
                int length = termAtt.length();
                boolean duplicate;
                if (onlyOnSamePosition) {
                    int inc = posIncAtt.getPositionIncrement();
                    if (inc > 0) previous.clear();
                    duplicate = inc == 0 && previous.contains(term, 0, length);
                } else {
                    duplicate = previous.contains(term, 0, length);
                }
                char[] saved = new char[length];
                System.arraycopy(term, 0, saved, 0, length);
                previous.add(saved);
                if (duplicate == false) return true;
            }
            return false;
        }

        @Override
        public void reset() throws IOException {
            super.reset();
            previous.clear();
        }
    }
}
