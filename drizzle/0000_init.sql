CREATE TABLE IF NOT EXISTS customers (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	tenant_id text NOT NULL,
	name text NOT NULL,
	email text NOT NULL,
	prefs text NOT NULL,
	tags text NOT NULL,
	created_at timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS line_items (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	tenant_id text NOT NULL,
	order_id uuid NOT NULL,
	sku text NOT NULL,
	quantity int NOT NULL,
	price_cents int NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS orders (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	tenant_id text NOT NULL,
	customer_id uuid NOT NULL,
	status text DEFAULT 'new' NOT NULL,
	total_cents int DEFAULT 0 NOT NULL,
	meta text DEFAULT '{"channel":"web"}',
	created_at timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS products (
	sku text PRIMARY KEY NOT NULL,
	name text NOT NULL,
	price_cents int NOT NULL,
	tags text NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS tenants (
	id text PRIMARY KEY NOT NULL,
	name text NOT NULL,
	plan text DEFAULT 'free' NOT NULL
);
--> statement-breakpoint
ALTER TABLE line_items ADD CONSTRAINT line_items_order_id_orders_id_fk FOREIGN KEY (order_id) REFERENCES public.orders (id) NOT VALID;--> statement-breakpoint
ALTER TABLE ASYNC line_items VALIDATE CONSTRAINT line_items_order_id_orders_id_fk;--> statement-breakpoint
ALTER TABLE orders ADD CONSTRAINT orders_customer_id_customers_id_fk FOREIGN KEY (customer_id) REFERENCES public.customers (id) NOT VALID;--> statement-breakpoint
ALTER TABLE ASYNC orders VALIDATE CONSTRAINT orders_customer_id_customers_id_fk;--> statement-breakpoint
CREATE UNIQUE INDEX ASYNC IF NOT EXISTS customers_tenant_email_uq ON customers (tenant_id, email);--> statement-breakpoint
CREATE INDEX ASYNC IF NOT EXISTS line_items_order_idx ON line_items (order_id);--> statement-breakpoint
CREATE INDEX ASYNC IF NOT EXISTS orders_tenant_status_idx ON orders (tenant_id, status);--> statement-breakpoint
CREATE INDEX ASYNC IF NOT EXISTS orders_created_idx ON orders (created_at NULLS FIRST);