/**
 * Deterministic result generators. The same (seed, normalised input) always produces the same result, in the
 * shapes documented by Nyne (see README.md in this folder for the exact shapes and the decisions taken).
 */
import { Rng } from './rng';
import {
	stripMarkers,
	type InteractionsRequest,
	type InterestsRequest,
	type LeadsRequest,
} from './validation';

/** Fixed anchor for generated post/reply dates, so results are identical across runs. */
export const DATE_ANCHOR_MS = Date.UTC(2026, 0, 14, 12, 0, 0);

export const INTEREST_SECTIONS = [
	'core_profile',
	'location_intelligence',
	'cultural_dna',
	'psychographics',
	'interest_graph',
	'brand_affinities',
	'professional_ecosystem',
	'social_graph_clusters',
] as const;

const FIRST = [
	'Sarah',
	'Alex',
	'Priya',
	'Diego',
	'Mei',
	'Jonas',
	'Fatima',
	'Liam',
	'Ana',
	'Kenji',
	'Olga',
	'Tom',
	'Nia',
	'Marco',
	'Eva',
	'Omar',
	'Chloe',
	'Ravi',
	'Lena',
	'Sam',
];
const LAST = [
	'Chen',
	'Thompson',
	'Patel',
	'Garcia',
	'Wang',
	'Berg',
	'Khan',
	'Murphy',
	'Silva',
	'Sato',
	'Ivanova',
	'Reed',
	'Okafor',
	'Rossi',
	'Novak',
	'Haddad',
	'Martin',
	'Iyer',
	'Fischer',
	'Young',
];
const ACCOUNTS = [
	'@techcrunch',
	'@ycombinator',
	'@github',
	'@stripe',
	'@strava',
	'@nytimes',
	'@natgeo',
	'@nasa',
	'@vercel',
	'@openai',
	'@espn',
	'@bonappetit',
	'@theverge',
	'@wired',
	'@hbr',
	'@a16z',
	'@spotify',
	'@nike',
	'@patagonia',
	'@figma',
];
const ARCHETYPES = [
	'Tech Leader',
	'Thought Leader',
	'Builder',
	'Community Organizer',
	'Early Adopter',
	'Investor',
	'Creator',
	'Researcher',
];
const CITIES = [
	'San Francisco, CA',
	'New York, NY',
	'London, UK',
	'Berlin, DE',
	'Austin, TX',
	'Toronto, CA',
	'Singapore',
	'Lisbon, PT',
];
const INFLUENCES = [
	'Indie music',
	'Sci-fi literature',
	'Street food',
	'Design culture',
	'Stand-up comedy',
	'Documentaries',
	'Anime',
	'Jazz',
];
const TRAITS = [
	'Curious',
	'Data-driven',
	'Ambitious',
	'Community-minded',
	'Pragmatic',
	'Adventurous',
	'Detail-oriented',
];
const VALUES = [
	'Sustainability',
	'Education',
	'Open source',
	'Health',
	'Family',
	'Entrepreneurship',
	'Privacy',
];
const GRAPH: Record<string, { key: 'topic' | 'activity'; items: string[] }> = {
	technology: {
		key: 'topic',
		items: [
			'Machine Learning',
			'Cloud Infrastructure',
			'Developer Tools',
			'Cybersecurity',
			'Robotics',
		],
	},
	sports_and_fitness: {
		key: 'activity',
		items: ['Running', 'Cycling', 'Climbing', 'Yoga', 'Tennis'],
	},
	food_and_drink: { key: 'topic', items: ['Coffee', 'Natural Wine', 'Ramen', 'Baking'] },
	travel: { key: 'topic', items: ['Backpacking', 'City Breaks', 'National Parks', 'Surf Trips'] },
	finance: {
		key: 'topic',
		items: ['Venture Capital', 'Personal Finance', 'Crypto', 'Public Markets'],
	},
};
const BRAND_CATEGORIES: Record<string, string[]> = {
	'Cloud Platforms': ['AWS', 'Google Cloud', 'Azure', 'Vercel'],
	'Outdoor Apparel': ['Patagonia', "Arc'teryx", 'The North Face'],
	'Productivity Software': ['Notion', 'Linear', 'Figma', 'Slack'],
	'Consumer Electronics': ['Apple', 'Sony', 'Framework'],
};
const INDUSTRIES = [
	'SaaS',
	'Developer Tools',
	'Fintech',
	'Healthtech',
	'E-commerce',
	'Climate Tech',
	'Media',
];
const CLUSTERS = [
	'Bay Area founders',
	'ML researchers',
	'Product designers',
	'Indie hackers',
	'Growth marketers',
	'Open-source maintainers',
];
const BIOS = [
	'Tech enthusiast',
	'Coffee, code and climbing',
	'Building things on the internet',
	'Designer by day, DJ by night',
	'Investor. Dad. Runner.',
	'Writing about AI and startups',
	'Photographer',
	'Product @ a startup',
];
const REPLIES = [
	'Great point!',
	'Totally agree with this.',
	'Can you share more details?',
	'This is huge 🚀',
	'Not sure I agree, but interesting take.',
	'Congrats to the team!',
	'Following this thread.',
	'Source?',
];
const HEADLINES = [
	'CEO & Co-founder at TechStartup',
	'Head of Marketing at SaaSCo',
	'CTO | Cloud & Fintech',
	'Founder @AIStartup',
	'VP Sales | B2B',
	'HR Lead at PeopleFirst',
	'Real estate agent, California',
];
const STOPWORDS = new Set([
	'about',
	'their',
	'there',
	'which',
	'people',
	'looking',
	'those',
	'these',
	'while',
	'where',
	'would',
	'should',
	'companies',
	'company',
	'interested',
	'discussing',
	'talking',
]);

function displayName(rng: Rng): string {
	return `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
}

function handle(name: string, rng: Rng, used: Set<string>): string {
	const [first, last] = name.toLowerCase().split(' ');
	for (;;) {
		const candidate =
			rng.pick([
				`${first}_${last}`,
				`${first}${last[0]}`,
				`${first}.${last}`,
				`${last}${first[0]}`,
			]) + rng.int(1, 9999);
		if (!used.has(candidate)) {
			used.add(candidate);
			return candidate;
		}
	}
}

function isoSeconds(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function accounts(rng: Rng): string[] {
	return rng.sample(ACCOUNTS, rng.int(1, 3));
}

/** Interests input without markers and without callback_url: the part that determines the person. */
export function interestsIdentity(req: InterestsRequest): Record<string, string> {
	const out: Record<string, string> = {};
	for (const field of ['email', 'phone', 'social_media_url', 'name', 'company'] as const) {
		const v = req[field];
		if (v !== undefined) out[field] = stripMarkers(v).toLowerCase();
	}
	return out;
}

/**
 * `sectionCount` undefined → 3..8 sections picked from the input; 0 → empty result `{}`.
 */
export function generateInterests(rng: Rng, sectionCount?: number): Record<string, unknown> {
	const count =
		sectionCount === undefined
			? rng.int(3, INTEREST_SECTIONS.length)
			: Math.max(0, Math.min(INTEREST_SECTIONS.length, sectionCount));
	if (count === 0) return {};
	const chosen = new Set(rng.sample(INTEREST_SECTIONS, count));
	const result: Record<string, unknown> = {};
	// Keep the documented section order.
	for (const section of INTEREST_SECTIONS) {
		if (!chosen.has(section)) continue;
		switch (section) {
			case 'core_profile':
				result.core_profile = {
					archetypes: rng.sample(ARCHETYPES, rng.int(1, 3)),
					supporting_accounts: accounts(rng),
				};
				break;
			case 'location_intelligence': {
				const home = rng.pick(CITIES);
				result.location_intelligence = {
					home_base: home,
					frequent_locations: rng.sample(
						CITIES.filter((c) => c !== home),
						rng.int(1, 3),
					),
					supporting_accounts: accounts(rng),
				};
				break;
			}
			case 'cultural_dna':
				result.cultural_dna = {
					influences: rng.sample(INFLUENCES, rng.int(1, 4)),
					supporting_accounts: accounts(rng),
				};
				break;
			case 'psychographics':
				result.psychographics = {
					traits: rng.sample(TRAITS, rng.int(1, 3)),
					values: rng.sample(VALUES, rng.int(1, 3)),
					supporting_accounts: accounts(rng),
				};
				break;
			case 'interest_graph': {
				const graph: Record<string, unknown> = {};
				for (const category of rng.sample(Object.keys(GRAPH), rng.int(1, 3))) {
					const { key, items } = GRAPH[category];
					graph[category] = {
						interests: rng
							.sample(items, rng.int(1, 3))
							.map((item) => ({ [key]: item, supporting_accounts: accounts(rng) })),
					};
				}
				result.interest_graph = graph;
				break;
			}
			case 'brand_affinities':
				result.brand_affinities = rng
					.sample(Object.keys(BRAND_CATEGORIES), rng.int(1, 3))
					.map((category) => ({
						category,
						brands: rng.sample(BRAND_CATEGORIES[category], rng.int(1, 3)),
						supporting_accounts: accounts(rng),
					}));
				break;
			case 'professional_ecosystem':
				result.professional_ecosystem = {
					industry_focus: rng.sample(INDUSTRIES, rng.int(1, 3)),
					supporting_accounts: accounts(rng),
				};
				break;
			case 'social_graph_clusters':
				result.social_graph_clusters = rng.sample(CLUSTERS, rng.int(1, 3)).map((cluster) => ({
					cluster,
					affinity_score: Math.round(rng.next() * 100) / 100,
					supporting_accounts: accounts(rng),
				}));
				break;
		}
	}
	result.following_count = rng.int(50, 5000);
	return result;
}

export function interactionsIdentity(req: InteractionsRequest): Record<string, unknown> {
	return {
		interaction_type: req.interaction_type,
		platform: req.platform,
		username: req.username ? stripMarkers(req.username).toLowerCase() : undefined,
		tweet_id: req.tweet_id,
		max_results: req.max_results,
	};
}

function profileUrl(req: InteractionsRequest, username: string): string {
	return req.platform === 'instagram'
		? `https://www.instagram.com/${username}`
		: `https://${req.profile_host}/${username}`;
}

/** `count` = number of interaction entries (already min(max_results, forced count)). */
export function generateInteractions(
	req: InteractionsRequest,
	rng: Rng,
	count: number,
): Record<string, unknown> {
	const used = new Set<string>();
	const targetName = req.username
		? stripMarkers(req.username)
		: handle(displayName(rng), rng, used);
	used.add(targetName.toLowerCase());
	const target: Record<string, unknown> = {
		username: targetName,
		display_name: displayName(rng),
		profile_url: profileUrl(req, targetName),
	};
	if (req.interaction_type === 'replies' && req.tweet_id) {
		target.tweet_id = req.tweet_id;
		target.post_url = `https://${req.profile_host}/${targetName}/status/${req.tweet_id}`;
	}
	const interactions: Record<string, unknown>[] = [];
	const followersShare =
		req.interaction_type === 'followers,following' ? Math.ceil(count / 2) : count;
	for (let i = 0; i < count; i++) {
		const name = displayName(rng);
		const username = handle(name, rng, used);
		const entry: Record<string, unknown> = {
			username,
			display_name: name,
			profile_url: profileUrl(req, username),
		};
		if (req.interaction_type === 'replies') {
			entry.reply_text = rng.pick(REPLIES);
			entry.reply_date = isoSeconds(DATE_ANCHOR_MS - i * 97_000 - rng.int(0, 60_000));
		} else {
			if (req.interaction_type === 'followers,following')
				entry.interaction_type = i < followersShare ? 'followers' : 'following';
			entry.bio = rng.pick(BIOS);
			entry.followers_count = rng.int(0, 250_000);
			entry.following_count = rng.int(0, 5_000);
			entry.verified = rng.bool(0.1);
		}
		interactions.push(entry);
	}
	return {
		interaction_type: req.interaction_type,
		platform: req.platform,
		source_platform: req.platform,
		target,
		interactions,
		total_count: interactions.length,
	};
}

export function leadsIdentity(req: LeadsRequest): Record<string, unknown> {
	return { search_description: stripMarkers(req.search_description).toLowerCase() };
}

export function generateLeads(
	req: LeadsRequest,
	rng: Rng,
	count: number,
): Record<string, unknown>[] {
	const words = stripMarkers(req.search_description)
		.split(/[^A-Za-z0-9-]+/)
		.filter((w) => w.length > 4 && !STOPWORDS.has(w.toLowerCase()));
	const topic = words.length > 0 ? words.slice(0, 3).join(' ').toLowerCase() : 'our industry';
	const used = new Set<string>();
	const results: Record<string, unknown>[] = [];
	let date = DATE_ANCHOR_MS - rng.int(0, 3_600_000);
	for (let i = 0; i < count; i++) {
		const name = displayName(rng);
		const username = handle(name, rng, used);
		const platform = rng.bool(0.6) ? 'linkedin' : 'twitter';
		const postId = rng.int(1_000_000_000, 9_999_999_999);
		results.push({
			platform,
			post_url:
				platform === 'linkedin'
					? `https://www.linkedin.com/feed/update/urn:li:activity:${postId}${rng.int(100000, 999999)}`
					: `https://x.com/${username}/status/${postId}${rng.int(1000000, 9999999)}`,
			post_content: `${rng.pick(['Excited to share', 'Thinking a lot about', 'Anyone else working on', 'Hot take on', 'Lessons learned from'])} ${topic}. ${rng.pick(['DMs open.', 'Would love to compare notes.', 'We are hiring!', 'Thread below.', 'Happy to chat.'])}`,
			post_date: isoSeconds(date),
			author: {
				name,
				username,
				profile_url:
					platform === 'linkedin'
						? `https://www.linkedin.com/in/${username}`
						: `https://x.com/${username}`,
				headline: rng.pick(HEADLINES),
				image_url:
					platform === 'linkedin'
						? `https://media.licdn.com/dms/image/${username}.jpg`
						: `https://pbs.twimg.com/profile_images/${username}.jpg`,
			},
			engagement: { likes: rng.int(0, 2000), comments: rng.int(0, 300), shares: rng.int(0, 150) },
		});
		// Sorted by most recent activity: each next post is older.
		date -= rng.int(60_000, 36 * 3_600_000);
	}
	return results;
}
